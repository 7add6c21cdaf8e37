namespace FeedbackHub.Data.Campaigns;

public enum DiscountKind
{
    /// <summary>A share off the order, e.g. 10 for 10 %.</summary>
    Percentage,

    /// <summary>A fixed amount off the order, in the campaign's currency.</summary>
    Amount,
}

/// <summary>Which orders earn a thank-you.</summary>
public enum QualifyingOrders
{
    FirstOrder,
    EveryOrder,

    /// <summary>Every <see cref="Campaign.EveryNth"/>th order of a customer (the 3rd, 6th, … for 3).</summary>
    EveryNthOrder,
}

public enum CampaignStatus
{
    /// <summary>Being set up: sends nothing.</summary>
    Draft,
    Active,

    /// <summary>Stopped for now: orders during a pause earn nothing, and nothing is sent later for them.</summary>
    Paused,
}

/// <summary>What the hold-out group gets instead of a code.</summary>
public enum HoldoutTreatment
{
    /// <summary>The same thank-you, without a code: the fairest control for "does the code matter?".</summary>
    ThankYouWithoutCode,
    NoEmail,
}

/// <summary>
/// A thank-you campaign: which orders qualify, what discount the code gives, and how customers are
/// split over variants and a hold-out group, so the effect of the discount can be measured.
/// </summary>
public sealed class Campaign
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Optional start of every code, e.g. <c>THX</c> in <c>THX-7KQ2M9XR4D</c>.</summary>
    public string? CodePrefix { get; set; }

    public CampaignStatus Status { get; set; }

    public DiscountKind DiscountKind { get; set; }

    public decimal DiscountValue { get; set; }

    /// <summary>The order total a code needs to be redeemed; none when null.</summary>
    public decimal? MinimumOrderValue { get; set; }

    public string Currency { get; set; } = "EUR";

    /// <summary>A code expires this many days after it is issued.</summary>
    public int ValidityDays { get; set; } = 30;

    public QualifyingOrders Qualifying { get; set; }

    public int? EveryNth { get; set; }

    /// <summary>How long after the order the thank-you goes out.</summary>
    public int SendDelayMinutes { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>The share of customers (0 to 0.5) in the hold-out group.</summary>
    public decimal HoldoutShare { get; set; }

    public HoldoutTreatment HoldoutTreatment { get; set; }

    /// <summary>Customers whose share of past orders with a discount is above this (0–1) get no code; null means nobody is excluded for it.</summary>
    public decimal? ExcludeDiscountShareAbove { get; set; }

    /// <summary>Customers support flagged as not worth an offer get no code.</summary>
    public bool ExcludeFlaggedCustomers { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public List<CampaignVariant> Variants { get; } = [];
}

/// <summary>One arm of an A/B test: its weight, and the discount or wording it changes.</summary>
public sealed class CampaignVariant
{
    public long Id { get; set; }

    public long CampaignId { get; set; }

    public required string Name { get; set; }

    /// <summary>Relative weight among the variants (the hold-out share is taken off first).</summary>
    public int Weight { get; set; } = 1;

    /// <summary>When set, replaces the campaign's discount for this variant.</summary>
    public DiscountKind? DiscountKind { get; set; }

    public decimal? DiscountValue { get; set; }

    /// <summary>When set, replaces the email's intro in that language for this variant.</summary>
    public string? IntroEnglish { get; set; }

    public string? IntroDutch { get; set; }
}

/// <summary>Which variant a customer is in for a campaign (null: the hold-out), decided once and kept.</summary>
public sealed class CampaignAssignment
{
    public long Id { get; set; }

    public long CampaignId { get; set; }

    public long CustomerId { get; set; }

    public long? VariantId { get; set; }

    public DateTimeOffset AssignedAt { get; set; }
}

/// <summary>A customer's code for a campaign: one per customer per campaign, unique across the installation.</summary>
public sealed class DiscountCode
{
    public long Id { get; set; }

    public required string Code { get; set; }

    public long CampaignId { get; set; }

    public long? VariantId { get; set; }

    public long CustomerId { get; set; }

    public DiscountKind DiscountKind { get; set; }

    public decimal DiscountValue { get; set; }

    public decimal? MinimumOrderValue { get; set; }

    public required string Currency { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RedeemedAt { get; set; }

    /// <summary>The shop's id of the order the code was used on.</summary>
    public string? RedeemedOrderExternalId { get; set; }
}

/// <summary>What a campaign did for one qualifying order.</summary>
public enum ThankYouOutcome
{
    /// <summary>A thank-you with a code was queued (the email itself may still be skipped by consent rules).</summary>
    Code,

    /// <summary>Hold-out: the thank-you without a code was queued.</summary>
    HoldoutThankYou,

    /// <summary>Hold-out with <see cref="HoldoutTreatment.NoEmail"/>: nothing was sent, on purpose.</summary>
    HoldoutNoEmail,

    /// <summary>An exclusion rule applied (see the reason): no code, no email.</summary>
    Excluded,

    /// <summary>The customer's one code for this campaign is already used or expired: no new code, no email.</summary>
    CodeAlreadyIssued,
}

/// <summary>
/// The decision a campaign made for a qualifying order, kept so that every qualifying customer is
/// counted (excluded ones too) and an order is never thanked twice by one campaign.
/// </summary>
public sealed class ThankYou
{
    public long Id { get; set; }

    public long CampaignId { get; set; }

    public long OrderId { get; set; }

    public long CustomerId { get; set; }

    /// <summary>The customer's group; null for the hold-out and for excluded customers.</summary>
    public long? VariantId { get; set; }

    public ThankYouOutcome Outcome { get; set; }

    /// <summary>Why a customer was excluded, e.g. "discount-dependent: 4 of 5 earlier orders with a discount".</summary>
    public string? Reason { get; set; }

    public long? DiscountCodeId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
