"""Demo data: 50 large devices with their life so far.

Each device has its purchase (one to nine years before the reference date), preventive
maintenance at its interval (a few now overdue), repairs with costs, yearly quality checks
(one failed and repaired), monthly revenue for the last two years, one adverse event under
follow-up and one device scrapped at the end of its life.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hongfan.accounts.roles import Role
from hongfan.demo.extensions import DemoContext
from hongfan.equipment import services
from hongfan.equipment.models import Device, Maintenance, QualityCheck, Revenue
from hongfan.org.models import Department, Institution

Cat = Device.Category
# (name, model, manufacturer, category, price yuan, life years, revenue per use yuan, uses/month,
#  preferred departments)
CATALOGUE = [
    ("64排螺旋CT", "uCT 760", "联影医疗", Cat.IMAGING, 4_200_000, 6, 280, 1600, ("医学影像科",)),
    (
        "1.5T磁共振成像系统",
        "MAGNETOM Amira",
        "西门子医疗",
        Cat.IMAGING,
        8_600_000,
        8,
        520,
        700,
        ("医学影像科",),
    ),
    (
        "数字化X射线摄影系统",
        "DigitalDiagnost C90",
        "飞利浦",
        Cat.IMAGING,
        1_350_000,
        6,
        90,
        2400,
        ("医学影像科",),
    ),
    (
        "彩色多普勒超声诊断仪",
        "Resona 7",
        "迈瑞医疗",
        Cat.IMAGING,
        1_180_000,
        6,
        160,
        1100,
        ("超声医学科", "心血管内科"),
    ),
    (
        "数字减影血管造影机",
        "Artis zee",
        "西门子医疗",
        Cat.IMAGING,
        7_800_000,
        8,
        3200,
        90,
        ("心血管内科", "医学影像科"),
    ),
    (
        "全自动生化分析仪",
        "AU5800",
        "贝克曼库尔特",
        Cat.LABORATORY,
        860_000,
        6,
        18,
        26000,
        ("检验科",),
    ),
    (
        "全自动化学发光免疫分析仪",
        "Cobas e801",
        "罗氏诊断",
        Cat.LABORATORY,
        1_050_000,
        6,
        65,
        5200,
        ("检验科",),
    ),
    (
        "血细胞分析流水线",
        "XN-9000",
        "希森美康",
        Cat.LABORATORY,
        1_600_000,
        6,
        20,
        21000,
        ("检验科",),
    ),
    (
        "有创呼吸机",
        "SV800",
        "迈瑞医疗",
        Cat.LIFE_SUPPORT,
        320_000,
        6,
        600,
        45,
        ("重症医学科", "呼吸与危重症医学科", "急诊科"),
    ),
    ("血液透析机", "4008S", "费森尤斯", Cat.THERAPY, 260_000, 6, 420, 120, ("肾内科",)),
    (
        "体外膜肺氧合系统",
        "Cardiohelp",
        "迈柯唯",
        Cat.LIFE_SUPPORT,
        1_500_000,
        8,
        18000,
        2,
        ("重症医学科", "心血管内科"),
    ),
    (
        "高清腹腔镜系统",
        "IMAGE1 S",
        "卡尔史托斯",
        Cat.SURGICAL,
        1_900_000,
        6,
        1500,
        60,
        ("普外科", "胃肠外科", "手术室"),
    ),
    ("高频电刀", "ForceTriad", "美敦力", Cat.SURGICAL, 280_000, 6, 200, 150, ("手术室", "普外科")),
    (
        "医用直线加速器",
        "VitalBeam",
        "瓦里安",
        Cat.THERAPY,
        16_500_000,
        10,
        1300,
        520,
        ("放射治疗科", "肿瘤内科"),
    ),
    (
        "多参数监护仪中央站",
        "BeneVision CMS",
        "迈瑞医疗",
        Cat.MONITORING,
        450_000,
        6,
        30,
        1400,
        ("重症医学科", "心血管内科", "急诊科"),
    ),
    ("电子胃肠镜系统", "EVIS X1", "奥林巴斯", Cat.SURGICAL, 2_300_000, 6, 380, 420, ("消化内科",)),
]
ENGINEERS = [
    "设备物资科 王工",
    "设备物资科 李工",
    "厂家工程师 陈工",
    "厂家工程师 刘工",
    "第三方维保 赵工",
]
FAULTS = [
    ("球管报警，曝光中断", "更换球管灯丝驱动板，试机正常"),
    ("显示屏花屏", "更换显示器信号线，校准后正常"),
    ("开机自检不通过", "更换电源模块，自检通过"),
    ("探头图像出现暗带", "更换探头，图像正常"),
    ("样本针堵塞", "清洗更换样本针，质控在控"),
    ("报警声音异常", "更换扬声器，功能恢复"),
]
INSPECTORS = ["市计量检定测试所", "省医疗器械检验研究院", "设备物资科质控组"]


def _departments(names: tuple[str, ...], fallback: list[Department]) -> Department:
    for name in names:
        d = Department.objects.filter(
            name=name, is_active=True, institution_id=fallback[0].institution_id
        ).first()
        if d:
            return d
    return fallback[sum(map(ord, names[0])) % len(fallback)]


def seed(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("equipment")
    today = ctx.today
    engineering = ctx.accounts.get(Role.MEDICAL_AFFAIRS) or ctx.office_user
    hospital = Institution.objects.filter(kind=Institution.Kind.HOSPITAL).order_by("pk").first()
    fallback = list(
        Department.objects.filter(
            institution=hospital, category=Department.Category.CLINICAL, is_active=True
        ).order_by("code")
    )
    if not fallback:
        return {"devices": 0}
    count = 50 if ctx.size != "large" else 200
    devices: list[Device] = []
    for n in range(count):
        name, model, maker, cat, price, life, _per_use, _uses, depts = CATALOGUE[n % len(CATALOGUE)]
        bought = today - dt.timedelta(days=rng.randint(400, 9 * 365))
        if n == 7:  # the device to scrap: bought more than its life ago
            bought = today - dt.timedelta(days=life * 365 + 120)
        devices.append(
            services.device_create(
                asset_no=f"SB{bought.year}{n + 1:04d}",
                name=name,
                model=model,
                manufacturer=maker,
                serial_no=f"{maker[:1]}{rng.randint(10**7, 10**8 - 1)}",
                category=cat,
                department=_departments(depts, fallback),
                location=rng.choice(["门诊楼", "住院部", "医技楼", "急诊楼"])
                + f"{rng.randint(1, 6)}层",
                purchased_on=bought,
                price=Decimal(int(price * rng.uniform(0.9, 1.1)) // 1000 * 1000),
                service_life_years=life,
                maintenance_interval_months=rng.choice([3, 6, 6, 12]),
                check_interval_months=12,
            )
        )

    maintenance: list[Maintenance] = []
    checks: list[QualityCheck] = []
    revenue: list[Revenue] = []
    for n, d in enumerate(devices):
        spec = CATALOGUE[n % len(CATALOGUE)]
        # Preventive maintenance at the interval; every ninth device has missed its last one.
        day = services.add_months(d.purchased_on, d.maintenance_interval_months)
        stop = today - dt.timedelta(days=70 if n % 9 == 0 else 0)
        while day <= stop:
            maintenance.append(
                Maintenance(
                    device=d,
                    kind=Maintenance.Kind.PREVENTIVE,
                    done_on=day + dt.timedelta(days=rng.randint(0, 6))
                    if day + dt.timedelta(days=6) <= today
                    else day,
                    engineer=rng.choice(ENGINEERS),
                    work_done="按预防性维护规程完成清洁、校准、安全检查及性能测试",
                    cost=Decimal(rng.choice([0, 0, 800, 1500, 2600])),
                    recorded_by=engineering,
                )
            )
            day = services.add_months(day, d.maintenance_interval_months)
        # Repairs: 0–3 over the life, costs in proportion to the price.
        span = (today - d.purchased_on).days
        for _ in range(rng.randint(0, 3)):
            fault, work = rng.choice(FAULTS)
            maintenance.append(
                Maintenance(
                    device=d,
                    kind=Maintenance.Kind.REPAIR,
                    done_on=d.purchased_on + dt.timedelta(days=rng.randint(30, max(31, span - 1))),
                    engineer=rng.choice(ENGINEERS),
                    fault=fault,
                    work_done=work,
                    cost=(d.price * Decimal(str(round(rng.uniform(0.002, 0.02), 4)))).quantize(
                        Decimal("1")
                    ),
                    downtime_hours=rng.choice([4, 8, 24, 48, 72]),
                    recorded_by=engineering,
                )
            )
        # Yearly quality checks.
        day = services.add_months(d.purchased_on, 12)
        while day <= today:
            kind = (
                QualityCheck.Kind.RADIATION
                if d.category == Cat.IMAGING and day.year % 2
                else QualityCheck.Kind.METROLOGY
                if d.category in (Cat.LABORATORY, Cat.MONITORING)
                else QualityCheck.Kind.PERFORMANCE
            )
            checks.append(
                QualityCheck(
                    device=d,
                    kind=kind,
                    checked_on=day,
                    result=QualityCheck.Result.PASSED,
                    inspector=rng.choice(INSPECTORS),
                    certificate_no=f"JD{day:%Y%m}{rng.randint(1000, 9999)}",
                )
            )
            day = services.add_months(day, 12)
        # Monthly revenue for the last 24 months of use.
        month = max(d.purchased_on.replace(day=1), services.add_months(today.replace(day=1), -24))
        per_use, base_uses = spec[6], spec[7]
        while month < today.replace(day=1):
            used = int(base_uses * rng.uniform(0.75, 1.2))
            revenue.append(
                Revenue(device=d, month=month, amount=Decimal(per_use * used), uses=used)
            )
            month = services.add_months(month, 1)
    Maintenance.objects.bulk_create(maintenance, batch_size=500)
    QualityCheck.objects.bulk_create(checks, batch_size=500)
    Revenue.objects.bulk_create(revenue, batch_size=500)

    # A failed electrical safety check: the device is under repair.
    failed = devices[4]
    check_day = max(failed.purchased_on, today - dt.timedelta(days=20))
    services.check_record(
        device=failed,
        kind=QualityCheck.Kind.SAFETY,
        checked_on=check_day,
        result=QualityCheck.Result.FAILED,
        inspector="设备物资科质控组",
        findings="漏电流超出 GB 9706.1 限值，停用待修",
        actor=engineering,
    )
    # One adverse event under follow-up.
    vent = next((d for d in devices if d.category == Cat.LIFE_SUPPORT), devices[0])
    day = max(vent.purchased_on, today - dt.timedelta(days=12))
    event = services.event_report(
        device=vent,
        occurred_on=day,
        discovered_on=day,
        severity="other",
        description="使用中呼吸机出现潮气量监测值偏差报警，医护人员立即更换备用设备，患者未受影响。",
        patient_harm="无",
        measures="停用送检，联系厂家工程师排查流量传感器。",
        actor=engineering,
    )
    services.event_set_status(event=event, status="submitted")
    # One device scrapped at the end of its service life.
    old = devices[7]
    services.device_scrap(
        device=old,
        scrapped_on=today - dt.timedelta(days=5),
        reason="已超过使用年限，主要部件老化且无维修价值，经技术鉴定同意报废。",
        actor=engineering,
    )
    return {
        "devices": len(devices),
        "maintenance records": len(maintenance),
        "quality checks": len(checks) + 1,
        "device revenue months": len(revenue),
    }
