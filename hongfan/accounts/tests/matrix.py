from hongfan.accounts.roles import SECOND_FACTOR_ROLES
from hongfan.core.matrix import ALL_ROLES, Case

CASES = [
    Case("accounts:password_change", allowed=set(ALL_ROLES)),
    # Every signed-in user may enrol a TOTP device.
    Case("accounts:otp_setup", allowed=set(ALL_ROLES)),
    # With a confirmed device the code form shows; without one the page sends you to set-up.
    Case(
        "accounts:otp_verify",
        allowed=set(SECOND_FACTOR_ROLES),
        denied_status=302,
    ),
]
