using System.Globalization;

namespace FeedbackHub.Web.Features.Import;

/// <summary>
/// How CSV cells become values. Amounts: the last '.' or ',' is the decimal separator when both
/// occur ("1.234,56", "1,234.56"); a separator that occurs once is the decimal separator ("12,5",
/// "12.5"); one that repeats groups thousands ("1.000.000"). Dates: ISO 8601 (an offset is kept,
/// none means UTC) or day-month-year "dd-MM-yyyy" with an optional time; a date alone is midnight UTC.
/// </summary>
public static class CsvValues
{
    private static readonly string[] DayFirstFormats =
    [
        "dd-MM-yyyy", "d-M-yyyy", "dd-MM-yyyy HH:mm", "dd-MM-yyyy HH:mm:ss", "d-M-yyyy H:mm", "d-M-yyyy H:mm:ss",
    ];

    public static bool TryParseBool(string value, out bool result)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "y" or "1" or "ja" or "j" or "waar":
                result = true;
                return true;
            case "false" or "no" or "n" or "0" or "nee" or "onwaar":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    public static bool TryParseDecimal(string value, out decimal result)
    {
        var text = value.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        var lastPoint = text.LastIndexOf('.');
        var lastComma = text.LastIndexOf(',');
        char? decimalSeparator = (lastPoint, lastComma) switch
        {
            (>= 0, >= 0) => lastPoint > lastComma ? '.' : ',',
            (>= 0, < 0) => text.Count(c => c == '.') == 1 ? '.' : null,
            (< 0, >= 0) => text.Count(c => c == ',') == 1 ? ',' : null,
            _ => null,
        };
        var grouping = decimalSeparator == '.' ? ',' : decimalSeparator == ',' ? '.' : (lastPoint >= 0 ? '.' : ',');
        var normalized = text.Replace(grouping.ToString(), "", StringComparison.Ordinal);
        if (decimalSeparator == ',')
        {
            normalized = normalized.Replace(',', '.');
        }

        return decimal.TryParse(normalized, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out result);
    }

    public static bool TryParseInt(string value, out int result) =>
        int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);

    public static bool TryParseTimestamp(string value, out DateTimeOffset result)
    {
        var text = value.Trim();
        if (text.Length >= 10 && char.IsDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out result))
        {
            return true;
        }

        return DateTimeOffset.TryParseExact(text, DayFirstFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out result);
    }
}
