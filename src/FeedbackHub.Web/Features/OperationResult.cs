namespace FeedbackHub.Web.Features;

/// <summary>The outcome of an operation a person asked for: a value, or errors worded for that person.</summary>
public sealed record OperationResult<T>(T? Value, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
