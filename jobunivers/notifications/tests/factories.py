from jobunivers.citizens.tests.factories import CitizenFactory


def citizen_with_contacts(municipality, *, email="borger@example.dk", phone="+4512345678"):
    citizen = CitizenFactory(municipality=municipality)
    citizen.user.email = email
    citizen.user.phone = phone
    citizen.user.save(update_fields=["email", "phone"])
    return citizen
