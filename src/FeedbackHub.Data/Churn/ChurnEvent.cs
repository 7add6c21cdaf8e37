using FeedbackHub.Data.Customers;

namespace FeedbackHub.Data.Churn;

public enum ChurnKind
{
    /// <summary>The customer cancelled their subscription.</summary>
    SubscriptionCancelled,

    /// <summary>No order came for longer than the customer's own rhythm allows.</summary>
    Lapsed,
}

/// <summary>
/// A customer counted as leaving, with the reason in plain words. It stays open until a later order
/// or a resumed subscription wins the customer back.
/// </summary>
public sealed class ChurnEvent
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public ChurnKind Kind { get; set; }

    /// <summary>What the rule measured from: the cancellation, or the last order before the lapse. Only activity after it wins the customer back.</summary>
    public DateTimeOffset ReferenceAt { get; set; }

    /// <summary>When the customer counted as gone: the cancellation, or the last order plus the threshold.</summary>
    public DateTimeOffset ChurnedAt { get; set; }

    /// <summary>When FeedbackHub noticed (the detection run or the ingest that brought the cancellation).</summary>
    public DateTimeOffset OpenedAt { get; set; }

    /// <summary>The customer's median days between orders; null for one-time buyers and cancellations.</summary>
    public double? UsualGapDays { get; set; }

    /// <summary>Days without an order after which this customer counted as lapsed; null for cancellations.</summary>
    public int? ThresholdDays { get; set; }

    /// <summary>Why, in plain words, e.g. "last order 94 days ago; usual gap 21 days; threshold 63 days".</summary>
    public required string Explanation { get; set; }

    /// <summary>The first order or resumed subscription after <see cref="ReferenceAt"/>; null while the event is open.</summary>
    public DateTimeOffset? WonBackAt { get; set; }
}
