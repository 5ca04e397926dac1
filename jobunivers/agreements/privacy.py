"""Personal data of the agreements app: none of a citizen's own. Statement lines name an enrolment
only by the citizen's pseudonym towards the vendor (marketplace.UseEvent.subject), which stays when
the citizen is erased, as the use events do; the links from users are the staff's and vendors' work
records (who generated, accepted, approved, paid, set a rate)."""

from jobunivers.audit.privacy import exempt_from_personal_data

from .models import Agreement, Rate, Statement, StatementLine

exempt_from_personal_data(Agreement, reason="which administrator made the agreement; a work record")
exempt_from_personal_data(Rate, reason="which administrator set the rate; a work record")
exempt_from_personal_data(Statement, reason="who generated, accepted, approved and paid it: work records; the "
                                            "job outcomes used are keyed by the vendor-facing pseudonym only")
exempt_from_personal_data(StatementLine, reason="amounts per pseudonymous enrolment (the vendor-facing "
                                                "pseudonym); accounting records kept five years (bogføringsloven)")
