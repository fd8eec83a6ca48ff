"""English texts of the community demo: the questionnaire to sources (see `community/demo.py`)."""

QUESTIONNAIRE = {
    "title": "Questionnaire to sources: your community",
    "slug": "sources-questionnaire",
    "intro": "<p>Help us understand how you keep your community alive. Ten minutes are enough.</p>",
    "thank_you_text": "<p>Thank you! Your answers will feed into the next steering committee.</p>",
}

# The questions in the order of the French ones: (label, choices).
QUESTIONS = [
    ("How many volunteers contribute to your map?", ""),
    ("How do you welcome newcomers?", ""),
    ("Which tools do you use to talk to each other?", "Forum\nMailing list\nMessaging\nMeetings"),
    ("What would you need?", ""),
]
