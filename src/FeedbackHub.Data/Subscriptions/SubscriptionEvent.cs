using FeedbackHub.Data.Customers;

namespace FeedbackHub.Data.Subscriptions;

/// <summary>A change in a customer's subscription, as reported by the shop.</summary>
public sealed class SubscriptionEvent
{
    public long Id { get; set; }

    /// <summary>The shop's id for this event; a replay with the same id changes nothing.</summary>
    public required string EventId { get; set; }

    public long CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public SubscriptionEventKind Kind { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}
