using System.Globalization;
using System.Text;
using FeedbackHub.Data.Database;
using FeedbackHub.Web.Features.Ingest;

namespace FeedbackHub.Web.Features.Import;

/// <summary>A file that cannot be imported at all; the message says why in one sentence.</summary>
public sealed class ImportFileException(string message) : Exception(message);

public sealed record RejectedRow(long Line, string? Key, string Reason);

public sealed record ImportProgress(long Rows, long BytesRead, long TotalBytes, int Inserted, int Updated, int Unchanged, int Rejected);

public sealed record ImportResult(
    ImportKind Kind, bool DryRun, int Inserted, int Updated, int Unchanged, int Rejected,
    IReadOnlyList<string> IgnoredColumns, IReadOnlyList<RejectedRow> FirstRejected, string? ReportPath)
{
    public string Summary => $"inserted={Inserted} updated={Updated} unchanged={Unchanged} rejected={Rejected}";
}

/// <summary>What a file looks like before it is imported: delimiter, header, mapping and first rows.</summary>
public sealed record ImportPreview(
    char Delimiter, IReadOnlyList<string> Header, IReadOnlyList<string> Mapped, IReadOnlyList<string> Ignored,
    IReadOnlyList<string> Missing, IReadOnlyList<CsvRecord> FirstRows);

/// <summary>
/// Imports a customers, orders or subscription-events CSV file through <see cref="IngestService"/>:
/// streams it in chunks (memory stays flat), stores each chunk in one transaction (a killed import
/// leaves whole rows only, and a rerun completes it), rejects bad rows one by one with their line
/// number and imports the rest. Re-importing the same file changes nothing.
/// </summary>
public sealed class CsvImporter(IngestService ingest, StorageSettings storage, TimeProvider time)
{
    public const int ChunkSize = 20_000;
    public const int RejectedKeptInMemory = 100;
    private const int SniffBytes = 64 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Reads the header and first rows without importing anything.</summary>
    public static ImportPreview Preview(Stream stream, ImportKind kind, int rows = 5)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (reader, header) = Open(stream);
        var columns = ImportColumns.For(kind);
        var names = header.Fields.Select(Normalize).ToList();
        var first = new List<CsvRecord>();
        while (first.Count < rows && reader.Read() is { } record)
        {
            first.Add(record);
        }

        return new ImportPreview(reader.Delimiter, header.Fields,
            [.. names.Where(columns.All.Contains)], [.. names.Where(n => !columns.All.Contains(n))],
            [.. columns.Required.Where(c => !names.Contains(c))], first);
    }

    public async Task<ImportResult> ImportAsync(
        Stream stream, ImportKind kind, bool dryRun, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (reader, header) = Open(stream);
        var columns = ImportColumns.For(kind);
        var names = header.Fields.Select(Normalize).ToList();
        var missing = columns.Required.Where(c => !names.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFileException(
                $"The header lacks the required column(s) {string.Join(", ", missing)}. " +
                $"A {ImportColumns.Name(kind)} file has the columns {string.Join(",", columns.All)} (in any order, any case).");
        }

        var ignored = names.Where(n => !columns.All.Contains(n)).ToList();
        var position = columns.All.ToDictionary(c => c, c => names.IndexOf(c));
        var run = new ImportRun(kind, dryRun, header.Fields.Count, this, storage, time.GetUtcNow());
        await using (run)
        {
            var chunk = new List<CsvRecord>(ChunkSize);
            long rows = 0;
            while (reader.Read() is { } record)
            {
                rows++;
                chunk.Add(record);
                if (chunk.Count == ChunkSize)
                {
                    await run.ImportChunkAsync(chunk, position, cancellationToken);
                    chunk.Clear();
                    progress?.Report(run.Progress(rows, stream));
                }
            }

            if (rows == 0)
            {
                throw new ImportFileException("The file has a header but no rows.");
            }

            await run.ImportChunkAsync(chunk, position, cancellationToken);
            progress?.Report(run.Progress(rows, stream));
            return run.Result(ignored);
        }
    }

    internal Task<IngestItemResult[]> IngestAsync(ImportKind kind, IReadOnlyList<Dictionary<string, string?>> rows,
        IReadOnlyList<long> lines, bool dryRun, CancellationToken cancellationToken)
    {
        var context = new IngestContext(_ => "", i => $"line {lines[i]}", dryRun);
        return kind switch
        {
            ImportKind.Customers => ingest.CustomersAsync([.. rows.Select(ToCustomer)], IngestChannels.CsvImport, context, cancellationToken),
            ImportKind.Orders => ingest.OrdersAsync([.. rows.Select(ToOrder)], context, cancellationToken),
            _ => ingest.SubscriptionEventsAsync([.. rows.Select(ToEvent)], context, cancellationToken),
        };
    }

    /// <summary>Turns a row's cells into typed values; cells that do not parse are reported by column.</summary>
    internal static Dictionary<string, string?> Cells(CsvRecord record, Dictionary<string, int> position) =>
        position.Where(p => p.Value >= 0).ToDictionary(p => p.Key, p => Blank(record.Fields[p.Value]));

    /// <summary>The reasons a row's cells cannot become values (before any business validation).</summary>
    internal static List<string> ParseProblems(ImportKind kind, Dictionary<string, string?> cells)
    {
        var problems = new List<string>();
        void Check(string column, Func<string, bool> parses, string expected)
        {
            if (cells.GetValueOrDefault(column) is { } value && !parses(value))
            {
                problems.Add($"{column}: '{TextLimits.Shorten(value)}' is not {expected}.");
            }
        }

        switch (kind)
        {
            case ImportKind.Customers:
                Check("marketing_consent", v => CsvValues.TryParseBool(v, out _), "yes/no (or true/false, ja/nee, 1/0)");
                Check("marketing_consent_at", v => CsvValues.TryParseTimestamp(v, out _), "a date (yyyy-MM-dd[THH:mm[:ss][zone]] or dd-MM-yyyy [HH:mm])");
                break;
            case ImportKind.Orders:
                Check("placed_at", v => CsvValues.TryParseTimestamp(v, out _), "a date (yyyy-MM-dd[THH:mm[:ss][zone]] or dd-MM-yyyy [HH:mm])");
                Check("total", v => CsvValues.TryParseDecimal(v, out _), "an amount such as 12.50 or 12,50");
                Check("item_count", v => CsvValues.TryParseInt(v, out _), "a whole number");
                break;
            default:
                Check("occurred_at", v => CsvValues.TryParseTimestamp(v, out _), "a date (yyyy-MM-dd[THH:mm[:ss][zone]] or dd-MM-yyyy [HH:mm])");
                break;
        }

        return problems;
    }

    /// <summary>Column name for a field path (firstName → first_name).</summary>
    internal static string ColumnOf(string path) =>
        string.Concat(path.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static (CsvRecordReader Reader, CsvRecord Header) Open(Stream stream)
    {
        var sniff = new byte[SniffBytes];
        var read = stream.ReadAtLeast(sniff, sniff.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            throw new ImportFileException("The file is empty.");
        }

        var sample = sniff.AsSpan(0, read);
        if (sample.Contains((byte)0))
        {
            throw new ImportFileException("This is not a CSV text file (it contains binary data).");
        }

        var text = Utf8.GetString(sample);
        if (text.Count(c => c == '\uFFFD') > Math.Max(3, text.Length / 100))
        {
            throw new ImportFileException("This file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.");
        }

        stream.Position = 0;
        var textReader = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var firstLine = text.AsSpan().TrimStart('\uFEFF');
        var lineEnd = firstLine.IndexOfAny('\r', '\n');
        var headerLine = lineEnd < 0 ? firstLine : firstLine[..lineEnd];
        var delimiter = headerLine.Count(';') > headerLine.Count(',') ? ';' : headerLine.Count('\t') > headerLine.Count(',') ? '\t' : ',';
        var reader = new CsvRecordReader(textReader, delimiter);
        var header = reader.Read() ?? throw new ImportFileException("The file is empty.");
        if (header.Error is not null || header.Fields.All(string.IsNullOrWhiteSpace))
        {
            throw new ImportFileException($"The first line must be a header with column names: {header.Error ?? "it is blank."}");
        }

        return (reader, header);
    }

    private static string Normalize(string header) =>
        header.Trim().Trim('\uFEFF').ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static CustomerInput ToCustomer(Dictionary<string, string?> c) => new()
    {
        ExternalId = c.GetValueOrDefault("external_id"),
        Email = c.GetValueOrDefault("email"),
        FirstName = c.GetValueOrDefault("first_name"),
        LastName = c.GetValueOrDefault("last_name"),
        Locale = c.GetValueOrDefault("locale"),
        TimeZone = c.GetValueOrDefault("time_zone"),
        MarketingConsent = c.GetValueOrDefault("marketing_consent") is { } consent && CsvValues.TryParseBool(consent, out var granted) ? granted : null,
        // Where and when the shop recorded the consent; without them the import itself is the source, now.
        MarketingConsentSource = c.GetValueOrDefault("marketing_consent_source"),
        MarketingConsentAt = c.GetValueOrDefault("marketing_consent_at") is { } at && CsvValues.TryParseTimestamp(at, out var recorded) ? recorded : null,
    };

    private static OrderInput ToOrder(Dictionary<string, string?> c) => new()
    {
        ExternalId = c.GetValueOrDefault("external_id"),
        CustomerExternalId = c.GetValueOrDefault("customer_external_id"),
        PlacedAt = c.GetValueOrDefault("placed_at") is { } placed && CsvValues.TryParseTimestamp(placed, out var at) ? at : null,
        Total = c.GetValueOrDefault("total") is { } total && CsvValues.TryParseDecimal(total, out var amount) ? amount : null,
        Currency = c.GetValueOrDefault("currency"),
        DiscountCode = c.GetValueOrDefault("discount_code"),
        ItemCount = c.GetValueOrDefault("item_count") is { } count && CsvValues.TryParseInt(count, out var items) ? items : null,
    };

    private static SubscriptionEventInput ToEvent(Dictionary<string, string?> c) => new()
    {
        EventId = c.GetValueOrDefault("event_id"),
        CustomerExternalId = c.GetValueOrDefault("customer_external_id"),
        Kind = c.GetValueOrDefault("kind"),
        OccurredAt = c.GetValueOrDefault("occurred_at") is { } occurred && CsvValues.TryParseTimestamp(occurred, out var at) ? at : null,
    };

    /// <summary>One import in progress: counts, and the report of rejected rows written as it goes.</summary>
    private sealed class ImportRun(ImportKind kind, bool dryRun, int width, CsvImporter importer, StorageSettings storage, DateTimeOffset started)
        : IAsyncDisposable
    {
        private readonly List<RejectedRow> _firstRejected = [];
        private StreamWriter? _report;
        private string? _reportPath;
        private int _inserted;
        private int _updated;
        private int _unchanged;
        private int _rejected;

        public async Task ImportChunkAsync(List<CsvRecord> chunk, Dictionary<string, int> position, CancellationToken cancellationToken)
        {
            var rows = new List<Dictionary<string, string?>>(chunk.Count);
            var lines = new List<long>(chunk.Count);
            foreach (var record in chunk)
            {
                if (record.Error is not null)
                {
                    await RejectAsync(record.Line, null, record.Error);
                    continue;
                }

                if (record.Fields.Count != width)
                {
                    await RejectAsync(record.Line, null, $"Has {record.Fields.Count} fields where the header has {width}.");
                    continue;
                }

                if (record.Fields.Any(f => f.Contains('\uFFFD', StringComparison.Ordinal)))
                {
                    await RejectAsync(record.Line, null, "Contains bytes that are not UTF-8 text.");
                    continue;
                }

                var cells = Cells(record, position);
                var problems = ParseProblems(kind, cells);
                if (problems.Count > 0)
                {
                    await RejectAsync(record.Line, cells.Values.FirstOrDefault(), string.Join(" ", problems));
                    continue;
                }

                rows.Add(cells);
                lines.Add(record.Line);
            }

            if (rows.Count == 0)
            {
                return;
            }

            var results = await importer.IngestAsync(kind, rows, lines, dryRun, cancellationToken);
            for (var i = 0; i < results.Length; i++)
            {
                switch (results[i].Outcome)
                {
                    case IngestOutcome.Inserted: _inserted++; break;
                    case IngestOutcome.Updated: _updated++; break;
                    case IngestOutcome.Unchanged: _unchanged++; break;
                    default:
                        await RejectAsync(lines[i], results[i].Key ?? rows[i].Values.FirstOrDefault(),
                            string.Join(" ", results[i].Errors.Select(e => $"{(e.Path.Length == 0 ? "" : ColumnOf(e.Path) + ": ")}{e.Message}")));
                        break;
                }
            }
        }

        public ImportProgress Progress(long rows, Stream stream) =>
            new(rows, stream.CanSeek ? stream.Position : 0, stream.CanSeek ? stream.Length : 0, _inserted, _updated, _unchanged, _rejected);

        public ImportResult Result(IReadOnlyList<string> ignored) =>
            new(kind, dryRun, _inserted, _updated, _unchanged, _rejected, ignored, _firstRejected, _reportPath);

        public async ValueTask DisposeAsync()
        {
            if (_report is not null)
            {
                await _report.DisposeAsync();
            }
        }

        private async Task RejectAsync(long line, string? key, string reason)
        {
            _rejected++;
            if (_firstRejected.Count < RejectedKeptInMemory)
            {
                _firstRejected.Add(new RejectedRow(line, key, reason));
            }

            if (_report is null)
            {
                var stamp = started.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
                var name = $"{stamp}-{ImportColumns.Name(kind)}-{Guid.NewGuid().ToString("N")[..8]}-rejected.csv";
                _reportPath = Path.Combine(storage.SubDirectory("import-reports"), name);
                _report = new StreamWriter(_reportPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
                await _report.WriteLineAsync("line,key,reason");
            }

            await _report.WriteLineAsync($"{line},{Quote(key ?? "")},{Quote(reason)}");
        }

        /// <summary>Quoted, and cells a spreadsheet would run as a formula are defused with a leading apostrophe.</summary>
        private static string Quote(string value) =>
            "\"" + (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value)
                .Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
