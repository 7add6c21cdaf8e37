namespace FeedbackHub.Web.Features;

/// <summary>Keeping text within bounds: columns of a fixed length, and values quoted in messages.</summary>
internal static class TextLimits
{
    /// <summary>Cuts to fit a column.</summary>
    public static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>
    /// What a search box's text looks for: trimmed, without NUL characters (PostgreSQL refuses them in
    /// any text, so none is ever stored, and a query holding one fails); null when nothing is left.
    /// </summary>
    public static string? SearchTerm(string? typed) =>
        typed?.Replace("\0", "", StringComparison.Ordinal).Trim() is { Length: > 0 } term ? term : null;

    /// <summary>A value as quoted in an error message: at most 40 characters, with an ellipsis when cut.</summary>
    public static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
