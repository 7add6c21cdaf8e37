using System.Text;

namespace FeedbackHub.Classification.Data;

/// <summary>
/// Reads labelled answers from CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks).
/// The header needs <c>text</c> and <c>label</c> columns; other columns are ignored. Every problem is
/// reported with the line it is on.
/// </summary>
public static class LabeledTextCsv
{
    public static IReadOnlyList<LabeledText> Read(string path, IReadOnlyCollection<string>? allowedLabels = null)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, allowedLabels);
    }

    /// <param name="reader">The CSV text.</param>
    /// <param name="allowedLabels">When given, any other label is an error.</param>
    public static IReadOnlyList<LabeledText> Read(TextReader reader, IReadOnlyCollection<string>? allowedLabels = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new RecordReader(reader);
        if (!records.TryRead(out var header, out _))
        {
            throw new LabeledTextCsvException("The file is empty: it needs a header line with 'text' and 'label' columns.");
        }

        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var textColumn = names.IndexOf("text");
        var labelColumn = names.IndexOf("label");
        foreach (var (column, name) in new[] { (textColumn, "text"), (labelColumn, "label") })
        {
            if (column < 0)
            {
                throw new LabeledTextCsvException($"line 1: the header has no '{name}' column (it has: {string.Join(", ", header)}).");
            }
        }

        var examples = new List<LabeledText>();
        while (records.TryRead(out var fields, out var line))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // a blank line
            }

            if (fields.Count <= Math.Max(textColumn, labelColumn))
            {
                throw new LabeledTextCsvException($"line {line}: expected at least {Math.Max(textColumn, labelColumn) + 1} fields, found {fields.Count}.");
            }

            var text = fields[textColumn];
            var label = fields[labelColumn].Trim();
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new LabeledTextCsvException($"line {line}: the text is empty.");
            }

            if (label.Length == 0)
            {
                throw new LabeledTextCsvException($"line {line}: the label is empty.");
            }

            if (allowedLabels is not null && !allowedLabels.Contains(label, StringComparer.Ordinal))
            {
                throw new LabeledTextCsvException($"line {line}: unknown label '{label}'; expected one of {string.Join(", ", allowedLabels)}.");
            }

            examples.Add(new LabeledText(text, label));
        }

        if (examples.Count == 0)
        {
            throw new LabeledTextCsvException("The file has a header but no examples.");
        }

        return examples;
    }

    /// <summary>Writes examples with a <c>text,label</c> header (and any extra columns as given).</summary>
    public static void Write(TextWriter writer, IEnumerable<LabeledText> examples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(examples);
        writer.WriteLine("text,label");
        foreach (var example in examples)
        {
            writer.Write(Quote(example.Text));
            writer.Write(',');
            writer.WriteLine(Quote(example.Label));
        }
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Splits records and fields, tracking the line each record starts on.</summary>
    private sealed class RecordReader(TextReader reader)
    {
        private int _line;
        private char _delimiter;

        public bool TryRead(out List<string> fields, out int startLine)
        {
            fields = [];
            var raw = reader.ReadLine();
            _line++;
            startLine = _line;
            if (raw is null)
            {
                return false;
            }

            if (_delimiter == default)
            {
                // The header decides: a semicolon header (common from Dutch spreadsheets) means semicolons.
                _delimiter = raw.Contains(';', StringComparison.Ordinal) && !raw.Contains(',', StringComparison.Ordinal) ? ';' : ',';
            }

            var field = new StringBuilder();
            var position = 0;
            var quoted = false;
            var fieldStart = true;
            while (true)
            {
                if (position >= raw.Length)
                {
                    if (!quoted)
                    {
                        fields.Add(field.ToString());
                        return true;
                    }

                    // A quoted field goes on over the line break.
                    raw = reader.ReadLine();
                    _line++;
                    if (raw is null)
                    {
                        throw new LabeledTextCsvException($"line {startLine}: a quoted field is not closed before the end of the file.");
                    }

                    field.Append('\n');
                    position = 0;
                    continue;
                }

                var c = raw[position++];
                if (quoted)
                {
                    if (c != '"')
                    {
                        field.Append(c);
                    }
                    else if (position < raw.Length && raw[position] == '"')
                    {
                        field.Append('"');
                        position++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else if (c == '"' && fieldStart)
                {
                    quoted = true;
                    fieldStart = false;
                }
                else if (c == _delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStart = true;
                }
                else
                {
                    field.Append(c);
                    fieldStart = false;
                }
            }
        }
    }
}

/// <summary>A labelled CSV file that cannot be used; the message names the line.</summary>
public sealed class LabeledTextCsvException(string message) : Exception(message);
