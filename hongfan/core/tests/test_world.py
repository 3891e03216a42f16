from hongfan.accounts.roles import Role
from hongfan.core.testing import World


def test_the_branch_secretary_scope_covers_only_their_branch(world: World) -> None:
    scope = world.user(Role.BRANCH_SECRETARY).scope
    assert world.branch_a.pk in scope.organisation_ids
    assert world.group_a.pk in scope.organisation_ids
    assert world.branch_b.pk not in scope.organisation_ids
    assert scope.department_ids == {world.dept_a1.pk, world.dept_a2.pk}


def test_hospital_wide_roles_see_everything_and_staff_only_themselves(world: World) -> None:
    assert world.user(Role.PARTY_OFFICE).scope.hospital_wide
    staff_scope = world.user(Role.STAFF).scope
    assert not staff_scope.hospital_wide
    assert staff_scope.staff_id == world.staff["plain_a1"].pk
    assert not staff_scope.organisation_ids and not staff_scope.department_ids


def test_home_page_greets_the_signed_in_user(world: World, client) -> None:
    from hongfan.core.testing import login

    login(client, world.user(Role.PARTY_OFFICE))
    response = client.get("/")
    assert response.status_code == 200
    assert "郑党办" in response.content.decode()
