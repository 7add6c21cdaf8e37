namespace FeedbackHub.Data.Auditing;

/// <summary>The audit verbs, in one place so filters and writers agree.</summary>
public static class AuditActions
{
    public const string LoginSucceeded = "staff.login-succeeded";
    public const string LoginFailed = "staff.login-failed";
    public const string LockedOut = "staff.locked-out";
    public const string SetupCompleted = "staff.setup-completed";
    public const string Invited = "staff.invited";
    public const string InvitationAccepted = "staff.invitation-accepted";
    public const string RolesChanged = "staff.roles-changed";
    public const string Disabled = "staff.disabled";
    public const string Enabled = "staff.enabled";
    public const string PasswordChanged = "staff.password-changed";
    public const string PasswordResetRequested = "staff.password-reset-requested";
    public const string EmailRetried = "email.retried";
    public const string EmailTextChanged = "email.text-changed";
    public const string SuppressionAdded = "email.suppression-added";
    public const string SuppressionRemoved = "email.suppression-removed";
    public const string CampaignCreated = "campaign.created";
    public const string CampaignChanged = "campaign.changed";
    public const string CampaignStatusChanged = "campaign.status-changed";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string ImportCompleted = "data.import-completed";
    public const string DemoDataSeeded = "system.demo-data-seeded";
    public const string SurveyVersionCreated = "survey.version-created";
    public const string WinBackOfferChanged = "survey.win-back-offer-changed";
    public const string ReasonLabelled = "reason.labelled";
    public const string ReasonModelActivated = "reason.model-activated";
    public const string CustomReasonAdded = "reason.custom-added";
    public const string DashboardExported = "data.dashboard-exported";
    public const string CustomerExported = "privacy.customer-exported";
    public const string CustomerErased = "privacy.customer-erased";
    public const string SurveyTextExpired = "privacy.survey-text-expired";

    /// <summary>Every action, for the audit page's filter.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        LoginSucceeded, LoginFailed, LockedOut, SetupCompleted, Invited, InvitationAccepted, RolesChanged, Disabled, Enabled,
        PasswordChanged, PasswordResetRequested, EmailRetried, EmailTextChanged, SuppressionAdded, SuppressionRemoved,
        CampaignCreated, CampaignChanged, CampaignStatusChanged, ApiKeyCreated, ApiKeyRevoked, ImportCompleted, DemoDataSeeded,
        SurveyVersionCreated, WinBackOfferChanged, ReasonLabelled, ReasonModelActivated, CustomReasonAdded,
        DashboardExported, CustomerExported, CustomerErased, SurveyTextExpired,
    ];
}
