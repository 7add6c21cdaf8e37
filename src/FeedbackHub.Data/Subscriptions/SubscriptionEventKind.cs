namespace FeedbackHub.Data.Subscriptions;

public enum SubscriptionEventKind
{
    Started,
    Paused,
    Resumed,
    Cancelled,
}
