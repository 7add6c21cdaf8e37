using System.Text;

namespace FeedbackHub.Web.Features.Import;

/// <summary>One record of a CSV file: its fields, or why it could not be read, and the line it starts on.</summary>
public sealed record CsvRecord(long Line, IReadOnlyList<string> Fields, string? Error);

/// <summary>
/// Reads RFC 4180 records (quoted fields with delimiters, quotes and line breaks; CRLF or LF) one at
/// a time, so memory stays flat however large the file. A record whose quote is never closed is
/// reported on its own and reading resumes on the next line, so one stray quote cannot swallow the
/// rest of the file.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, char delimiter)
{
    /// <summary>A quoted field may span at most this many lines before it counts as unbalanced.</summary>
    public const int MaxLinesPerRecord = 50;

    private readonly Queue<(long Line, string Text)> _pushedBack = new();
    private readonly StringBuilder _field = new();
    private long _nextLine = 1;

    public char Delimiter { get; } = delimiter;

    /// <summary>The next record, or null at the end of the file. Blank lines are skipped.</summary>
    public CsvRecord? Read()
    {
        while (true)
        {
            var first = NextLine();
            if (first is null)
            {
                return null;
            }

            if (first.Value.Text.Length == 0)
            {
                continue;
            }

            return Parse(first.Value);
        }
    }

    private CsvRecord Parse((long Line, string Text) first)
    {
        var fields = new List<string>();
        var consumed = new List<(long Line, string Text)> { first };
        var text = first.Text;
        var position = 0;
        _field.Clear();
        while (true)
        {
            if (position < text.Length && text[position] == '"')
            {
                position++;
                while (true)
                {
                    var quote = text.IndexOf('"', position);
                    if (quote < 0)
                    {
                        _field.Append(text, position, text.Length - position);
                        var next = consumed.Count < MaxLinesPerRecord ? NextLine() : null;
                        if (next is null)
                        {
                            // Unbalanced: give back the lines after the first, so they are read as records of their own.
                            foreach (var line in consumed.Skip(1).Reverse())
                            {
                                PushBack(line);
                            }

                            return new CsvRecord(first.Line, [], "A quoted field is never closed (unbalanced quotes).");
                        }

                        consumed.Add(next.Value);
                        _field.Append('\n');
                        text = next.Value.Text;
                        position = 0;
                        continue;
                    }

                    _field.Append(text, position, quote - position);
                    if (quote + 1 < text.Length && text[quote + 1] == '"')
                    {
                        _field.Append('"');
                        position = quote + 2;
                        continue;
                    }

                    position = quote + 1;
                    break;
                }

                if (position < text.Length && text[position] != Delimiter)
                {
                    return new CsvRecord(first.Line, [], $"Unexpected text after a closing quote in field {fields.Count + 1}.");
                }
            }
            else
            {
                var end = text.IndexOf(Delimiter, position);
                end = end < 0 ? text.Length : end;
                _field.Append(text, position, end - position);
                position = end;
            }

            fields.Add(_field.ToString());
            _field.Clear();
            if (position >= text.Length)
            {
                return new CsvRecord(first.Line, fields, null);
            }

            position++;
            if (position == text.Length)
            {
                fields.Add("");
                return new CsvRecord(first.Line, fields, null);
            }
        }
    }

    private (long Line, string Text)? NextLine()
    {
        if (_pushedBack.Count > 0)
        {
            return _pushedBack.Dequeue();
        }

        var text = reader.ReadLine();
        return text is null ? null : (_nextLine++, text);
    }

    private void PushBack((long Line, string Text) line)
    {
        // Lines come back in reverse order; rebuild the queue with them in front.
        var rest = _pushedBack.ToArray();
        _pushedBack.Clear();
        _pushedBack.Enqueue(line);
        foreach (var item in rest)
        {
            _pushedBack.Enqueue(item);
        }
    }
}
