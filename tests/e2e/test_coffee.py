"""Coffee meetings at phone width (390 px): a citizen swipes one invitation away (no) and says yes to another
with the keyboard; the employer sees exactly the fields the citizen chose, accepts and books a time; both see
the booked meeting. axe-core runs on every page; screenshots in /tmp/coffee-*.png."""

import re

import pytest

from jobunivers.coffee.models import Answer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _swipe(page, card_selector: str, dx: int) -> None:
    """A finger drag across the card, as touch pointer events (what a phone's browser sends)."""
    page.evaluate("""([selector, dx]) => {
        const card = document.querySelector(selector);
        const box = card.getBoundingClientRect();
        const y = box.top + 20, x = box.left + box.width / 2;
        const fire = (type, clientX) => card.dispatchEvent(new PointerEvent(type, {
            bubbles: true, pointerType: "touch", clientX: clientX, clientY: y, isPrimary: true}));
        fire("pointerdown", x);
        for (let step = 1; step <= 10; step++) { fire("pointermove", x + dx * step / 10); }
        fire("pointerup", x + dx);
    }""", [card_selector, dx])


def test_a_citizen_says_yes_and_the_employer_books_the_meeting(page, browser, live_server, visit, axe, sign_in_as,
                                                                municipality):
    from django.utils import timezone

    from jobunivers.citizens.models import Citizen
    from jobunivers.coffee.services import invitation_offer, invitation_publish, visibility_set
    from jobunivers.coffee.tests.helpers import carpenter, employer, invitation_data, place, seeker

    # given a carpenter in Aarhus who lets employers see name, occupations and skills for craft jobs,
    # and two employers' invitations for carpenters
    place("8000")
    occupation = carpenter()
    citizen = seeker(municipality, occupation, first_name="Sara", last_name="Jensen",
                     summary="HEMMELIGT RESUMÉ", skills=("træarbejde",))
    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at=timezone.now(),
                                                      onboarding_completed_at=timezone.now())
    visibility_set(actor=citizen.user, citizen=citizen, is_open=True, job_kinds=["7"],
                   fields=["name", "occupations", "skills"])
    boss, membership = employer("Byggesen Tømrer ApS")
    other_boss, other_membership = employer("Anden Byg ApS")
    wanted = invitation_publish(actor=boss, membership=membership, data=invitation_data(occupation))
    unwanted = invitation_publish(actor=other_boss, membership=other_membership,
                                  data=invitation_data(occupation, title="Tømrer til nybyg"))
    for invitation in (wanted, unwanted):
        invitation_offer(invitation_id=invitation.pk)
    prefix = f"/{municipality.slug}"

    # when the citizen opens Kaffemøder on a phone
    page.set_viewport_size(PHONE)
    sign_in_as(page, citizen.user, municipality)
    assert visit(page, f"{prefix}/min-side/kaffemoeder/").status == 200
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/coffee-cards-390.png", full_page=True)
    assert page.get_by_text("Et ja deler med arbejdsgiveren: Mit navn, Stillinger, jeg søger, Mine kompetencer."
                            ).count() == 2

    # and swipes the other employer's card to the left (no)
    from jobunivers.coffee.models import Offer

    card = f"[data-coffee-card]:has(#coffee-card-{Offer.all_tenants.get(invitation=unwanted).pk})"
    with page.expect_navigation():
        _swipe(page, card, -300)
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("Du sagde nej. Tak.").is_visible()
    axe(page)

    # (her choice of what employers may see is one page away)
    assert visit(page, f"{prefix}/min-side/kaffemoeder/synlighed/").status == 200
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/coffee-visibility-390.png", full_page=True)
    assert visit(page, f"{prefix}/min-side/kaffemoeder/").status == 200

    # and says yes to Byggesen with the keyboard
    # (the employer's name is hidden text in the button: screen readers hear which card it answers)
    yes = page.get_by_role("button", name=re.compile(r"^Ja, jeg vil gerne mødes\s*: Byggesen Tømrer ApS$"))
    yes.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("Du sagde ja.", exact=True).is_visible()
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/coffee-said-yes-390.png", full_page=True)
    assert sorted(Answer.all_tenants.values_list("choice", flat=True)) == ["no", "yes"]

    # then the employer, on a phone too, sees exactly the fields she chose
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=PHONE)
    employer_page = context.new_page()
    sign_in_as(employer_page, boss)
    assert visit(employer_page, f"/employer/kaffemoeder/{wanted.pk}/").status == 200
    axe(employer_page)
    _fits(employer_page)
    employer_page.screenshot(path="/tmp/coffee-employer-candidates-390.png", full_page=True)
    shared = employer_page.locator("[data-shared-field]")
    assert [(shared.nth(i).get_attribute("data-shared-field"), shared.nth(i).inner_text())
            for i in range(shared.count())] == [("name", "Sara Jensen"), ("occupations", "tømrer"),
                                                ("skills", "træarbejde")]
    assert "HEMMELIGT RESUMÉ" not in employer_page.content()

    # (a bad invitation gets Danish errors on the form, at phone width too)
    assert visit(employer_page, "/employer/kaffemoeder/ny/").status == 200
    axe(employer_page)
    employer_page.get_by_label("Stillingsbetegnelse", exact=True).fill("Tømrer")
    employer_page.get_by_label("Antal møder").fill("0")
    employer_page.get_by_role("button", name="Offentliggør invitationen").click()
    employer_page.wait_for_load_state("domcontentloaded")
    assert employer_page.get_by_text("Ret venligst felterne nedenfor.").is_visible()
    axe(employer_page)
    _fits(employer_page)
    employer_page.screenshot(path="/tmp/coffee-employer-form-errors-390.png", full_page=True)
    assert visit(employer_page, f"/employer/kaffemoeder/{wanted.pk}/").status == 200

    # and accepts her at the first free time
    chosen = employer_page.get_by_label("Mødetidspunkt").locator("option").first.inner_text()
    with employer_page.expect_navigation():
        employer_page.get_by_role("button", name=re.compile(r"^Acceptér og book tidspunktet\s*: Sara Jensen$")).click()
    employer_page.wait_for_load_state("domcontentloaded")
    assert employer_page.get_by_text("Mødet er booket. Kandidaten har fået besked.").is_visible()
    axe(employer_page)
    employer_page.screenshot(path="/tmp/coffee-employer-booked-390.png", full_page=True)
    day, time = re.match(r"(.+) (\d{2}\.\d{2})$", chosen).groups()
    assert employer_page.get_by_text(f"Møde booket {day} kl. {time}").is_visible()
    context.close()

    # and the citizen sees the booked meeting too
    assert visit(page, f"{prefix}/min-side/kaffemoeder/").status == 200
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/coffee-citizen-booked-390.png", full_page=True)
    assert page.get_by_text(f"Møde booket {day} kl. {time}").is_visible()
