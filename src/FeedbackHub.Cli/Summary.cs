using System.Globalization;

namespace FeedbackHub.Cli;

/// <summary>The machine-readable last line every verb prints: space-separated <c>key=value</c> pairs.</summary>
internal static class Summary
{
    public static string Format(params (string Key, object? Value)[] pairs) =>
        string.Join(' ', pairs.Select(p => $"{p.Key}={Quote(Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "")}"));

    /// <summary>Values with spaces or quotes are double-quoted with backslash escapes; a reader splits each pair at its first "=".</summary>
    private static string Quote(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\')
            ? value
            : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal) + "\"";
}
