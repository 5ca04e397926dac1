EXEMPT = {"jobs:employer_home": "national employer page, the employer's own postings only"}
