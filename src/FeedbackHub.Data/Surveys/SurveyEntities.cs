using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;

namespace FeedbackHub.Data.Surveys;

/// <summary>
/// One version of the exit survey's wording (both languages, as JSON). Editing makes a new version;
/// old ones stay, so every response can be read against the questions it answered.
/// </summary>
public sealed class SurveyVersion
{
    public long Id { get; set; }

    /// <summary>1, 2, 3…: the highest is the one new invitations get.</summary>
    public int Number { get; set; }

    /// <summary>The texts and choices per language, as the web app's survey definition serialises them.</summary>
    public required string Definition { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }
}

/// <summary>One exit-survey invitation per churn event. The link's token is never stored, only its hash.</summary>
public sealed class SurveyInvitation
{
    public long Id { get; set; }

    public long ChurnEventId { get; set; }

    public ChurnEvent? ChurnEvent { get; set; }

    public long CustomerId { get; set; }

    public Customer? Customer { get; set; }

    /// <summary>SHA-256 of the invitation email's token, base64url.</summary>
    public required string TokenHash { get; set; }

    /// <summary>SHA-256 of the reminder email's token (a second link to the same survey); null until a reminder is queued.</summary>
    public string? ReminderTokenHash { get; set; }

    public required string Locale { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Why the invitation email was not sent (consent, suppression, fatigue cap); null when it was queued.</summary>
    public string? SkipReason { get; set; }

    public DateTimeOffset? ReminderQueuedAt { get; set; }

    /// <summary>The first time the customer's browser showed the survey (after the link was exchanged for a cookie).</summary>
    public DateTimeOffset? OpenedAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }
}

public enum WinBackGroup
{
    /// <summary>No offer is configured for the chosen reason.</summary>
    None,

    /// <summary>The customer was shown the offer.</summary>
    Offered,

    /// <summary>Drawn into the offer's hold-out: thanked without the offer, so its effect can be measured.</summary>
    Holdout,
}

/// <summary>A customer's answers to the exit survey. Unique per invitation: the first submission is the one kept.</summary>
public sealed class SurveyResponse
{
    public long Id { get; set; }

    public long InvitationId { get; set; }

    public SurveyInvitation? Invitation { get; set; }

    public long CustomerId { get; set; }

    public long SurveyVersionId { get; set; }

    public required string Locale { get; set; }

    /// <summary>The key of the chosen main reason (price, service, experience, other, or an admin's own choice).</summary>
    public required string Reason { get; set; }

    /// <summary>"What could we have done better?"; empty when left blank.</summary>
    public string Comment { get; set; } = "";

    /// <summary>0–10; null when not answered.</summary>
    public int? ComebackLikelihood { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public WinBackGroup WinBackGroup { get; set; }

    public long? WinBackOfferId { get; set; }

    public long? DiscountCodeId { get; set; }

    /// <summary>The win-back code shown to the customer, issued in the same save as the response.</summary>
    public Campaigns.DiscountCode? DiscountCode { get; set; }

    /// <summary>The reason the classifier read in <see cref="Comment"/>; null until classified, and always null without a comment.</summary>
    public string? PredictedReason { get; set; }

    /// <summary>The classifier's calibrated probability of <see cref="PredictedReason"/> (0–1).</summary>
    public double? PredictionConfidence { get; set; }

    /// <summary>The model version that made the prediction.</summary>
    public long? PredictionModelId { get; set; }

    /// <summary>The words that weighed most, as JSON <c>[{"ngram":"te duur","weight":1.8},…]</c>.</summary>
    public string? PredictionExplanation { get; set; }

    public DateTimeOffset? PredictedAt { get; set; }

    /// <summary>The reason a support lead confirmed or chose; it wins over the prediction and the chosen answer.</summary>
    public string? HumanReason { get; set; }

    /// <summary>Who set <see cref="HumanReason"/> (their email).</summary>
    public string? LabelledBy { get; set; }

    public DateTimeOffset? LabelledAt { get; set; }

    /// <summary>
    /// The reason every list and figure uses: the human label, else the prediction, else the chosen
    /// answer. Computed by the database (<see cref="SurveyLimits.EffectiveReasonSql"/>), so SQL written
    /// by hand gets the same rule as LINQ.
    /// </summary>
    public string EffectiveReason { get; private set; } = "";
}

public enum WinBackOfferKind
{
    /// <summary>A one-time code with the terms of a configured campaign.</summary>
    DiscountCode,

    /// <summary>A promise in words, e.g. "a team lead will call you".</summary>
    Message,
}

/// <summary>What the thank-you page offers a customer who chose this reason; marketers configure one per reason.</summary>
public sealed class WinBackOffer
{
    public long Id { get; set; }

    /// <summary>The survey choice key this offer answers.</summary>
    public required string Reason { get; set; }

    public WinBackOfferKind Kind { get; set; }

    /// <summary>The campaign whose terms (discount, minimum, validity, prefix) the code gets; for <see cref="WinBackOfferKind.DiscountCode"/>.</summary>
    public long? CampaignId { get; set; }

    public required string MessageEnglish { get; set; }

    public required string MessageDutch { get; set; }

    /// <summary>Share of customers (0–0.5) drawn into the hold-out, who see no offer.</summary>
    public decimal HoldoutShare { get; set; }

    public bool Enabled { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

/// <summary>Lengths of survey fields, shared by the model and validation.</summary>
public static class SurveyLimits
{
    public const int Comment = 5_000;
    public const int ReasonKey = 40;
    public const int OfferMessage = 1_000;
    public const int TokenHash = 43;

    /// <summary>"Human label wins": the one definition of a response's reason, as a computed column.</summary>
    public const string EffectiveReasonSql = "COALESCE(\"HumanReason\", \"PredictedReason\", \"Reason\")";
}
