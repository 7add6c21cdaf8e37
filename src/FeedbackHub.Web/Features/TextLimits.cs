namespace FeedbackHub.Web.Features;

/// <summary>Keeping text within bounds: columns of a fixed length, and values quoted in messages.</summary>
internal static class TextLimits
{
    /// <summary>Cuts to fit a column.</summary>
    public static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>A value as quoted in an error message: at most 40 characters, with an ellipsis when cut.</summary>
    public static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
