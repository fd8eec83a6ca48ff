"""Models of the community app: the forum, the ambassador programme, working groups, the questionnaire."""

from .ambassadors import AmbassadorApplication, AmbassadorExchange, AmbassadorProfile, ContactMessage
from .forum import (
    Attachment,
    Category,
    DigestSending,
    Flag,
    ForumProfile,
    Mention,
    PendingNotification,
    Post,
    PostRevision,
    Subscription,
    Topic,
    TopicRead,
)
from .groups import JoinRequest, WorkingGroup
from .questionnaire import (
    QuestionnaireReminder,
    SourceQuestionnaireField,
    SourceQuestionnairePage,
    SourceQuestionnaireSubmission,
)

__all__ = [
    "AmbassadorApplication",
    "AmbassadorExchange",
    "AmbassadorProfile",
    "Attachment",
    "Category",
    "ContactMessage",
    "DigestSending",
    "Flag",
    "ForumProfile",
    "JoinRequest",
    "Mention",
    "PendingNotification",
    "Post",
    "PostRevision",
    "QuestionnaireReminder",
    "SourceQuestionnaireField",
    "SourceQuestionnairePage",
    "SourceQuestionnaireSubmission",
    "Subscription",
    "Topic",
    "TopicRead",
    "WorkingGroup",
]
