namespace FeedbackHub.Data;

/// <summary>A row the change feed pages through in (UpdatedAt, Id) order.</summary>
public interface IChangeTracked
{
    long Id { get; }

    DateTimeOffset UpdatedAt { get; }
}
