"""Standard claims from the provider's users: the address is verified unless the user's
last name says "unverified" (for the test of an unverified address)."""


def userinfo(claims, user):
    claims["name"] = user.get_full_name()
    claims["email"] = user.email
    claims["email_verified"] = user.last_name != "unverified"
    return claims
