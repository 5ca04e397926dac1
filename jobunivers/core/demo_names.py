"""Common Danish names for made-up demo people (Danmarks Statistik's most frequent names)."""

FIRST_NAMES_FEMALE = [
    "Anne", "Kirsten", "Mette", "Hanne", "Anna", "Helle", "Susanne", "Lene", "Maria", "Marianne", "Lone",
    "Camilla", "Pia", "Louise", "Charlotte", "Tina", "Gitte", "Bente", "Sofie", "Ida", "Emma", "Julie",
    "Laura", "Freja", "Amalie", "Fatima", "Aisha", "Nadia", "Sara", "Maja",
]
FIRST_NAMES_MALE = [
    "Peter", "Jens", "Michael", "Lars", "Thomas", "Henrik", "Søren", "Christian", "Martin", "Jan", "Morten",
    "Jesper", "Anders", "Niels", "Mads", "Rasmus", "Jacob", "Kasper", "Frederik", "Mikkel", "Oliver",
    "William", "Noah", "Lucas", "Emil", "Ahmed", "Ali", "Mohammad", "Omar", "Jonas",
]
LAST_NAMES = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
    "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen",
    "Johansen", "Møller", "Mortensen", "Karimi", "Hussein", "Yilmaz", "Kowalski", "Ibrahim",
]
