"""The default platforms (the "八大平台" of seed 003) and a starting sensitive-word list.

The words are the absolute terms that 《广告法》 Art. 9 and 《医疗广告管理办法》 Art. 7 forbid in
medical publicity (guaranteed cure, "best", "first"…); the office edits the list afterwards.
"""

from django.db import migrations

PLATFORMS = (
    ("院刊", "journal", True),
    ("医院官方网站", "website", False),
    ("微信服务号", "wechat_service", False),
    ("微信订阅号", "wechat_subscription", False),
    ("手机网站", "mobile_site", False),
    ("英文网站", "english_site", False),
    ("抖音", "douyin", False),
    ("今日头条", "toutiao", False),
)

WORDS = (
    ("最好", "广告法极限用语"),
    ("最佳", "广告法极限用语"),
    ("第一", "广告法极限用语"),
    ("国家级", "广告法极限用语"),
    ("顶级", "广告法极限用语"),
    ("根治", "医疗广告禁用语"),
    ("治愈率", "医疗广告禁用语"),
    ("包治", "医疗广告禁用语"),
    ("保证治愈", "医疗广告禁用语"),
    ("无效退款", "医疗广告禁用语"),
    ("神医", "医疗广告禁用语"),
    ("祖传秘方", "医疗广告禁用语"),
    ("零风险", "医疗广告禁用语"),
    ("红包", "医德医风"),
)


def forwards(apps, schema_editor):
    Platform = apps.get_model("publicity", "Platform")
    SensitiveWord = apps.get_model("publicity", "SensitiveWord")
    for order, (name, kind, issues) in enumerate(PLATFORMS, start=1):
        Platform.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "uses_issue_numbers": issues, "sort_order": order * 10},
        )
    for word, category in WORDS:
        SensitiveWord.objects.get_or_create(word=word, defaults={"category": category})


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_publicity")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
