using System.Globalization;
using System.Text;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>A table as the dashboards export it: a header row and rows of plain values.</summary>
public sealed record CsvTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// Writes dashboard tables as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs
/// read accents right). Text that a spreadsheet would run as a formula (starting with =, +, -, @, a
/// tab or a carriage return) gets a leading apostrophe: customer names and survey answers come from
/// outside. Numbers are written as numbers, in the invariant culture, because we produce them ourselves.
/// </summary>
public static class CsvExport
{
    private const string FormulaStarts = "=+-@\t\r";

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && FormulaStarts.Contains(text[0], StringComparison.Ordinal) ? "'" + text : text;
    }

    public static byte[] Write(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var csv = new StringBuilder();
        AppendRow(csv, table.Headers);
        foreach (var row in table.Rows)
        {
            AppendRow(csv, row);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static void AppendRow<T>(StringBuilder csv, IReadOnlyList<T> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            csv.Append(Quote(Cell(cells[i])));
        }

        csv.Append("\r\n");
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        string text => Escape(text),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset moment => moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(value.ToString() ?? ""),
    };

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
