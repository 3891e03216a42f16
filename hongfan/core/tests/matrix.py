from hongfan.core.matrix import ALL_ROLES, Case

CASES = [
    Case("core:home", allowed=set(ALL_ROLES)),
]
