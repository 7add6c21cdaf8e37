using System.Text;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Import;
using FeedbackHub.Web.Features.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

[Collection(PostgresCollection.Name)]
public sealed class CsvImportTests(PostgresServer postgres) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDirectory _data = new();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Customers_BomCrlfSemicolonsAndQuotedFields_AreReadExactly(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        var file = "\uFEFFExternal_ID;EMAIL;first_name;last_name;locale;marketing_consent\r\n" +
                   "c-1;anna@example.nl;Anna;\"de Vries; jr.\";nl;ja\r\n" +
                   "c-2;bob@example.com;\"Bob \"\"the builder\"\"\";\"Smith,\nSenior\";en;no\r\n";

        var result = await ImportAsync(database, ImportKind.Customers, file);

        Assert.Equal("inserted=2 updated=0 unchanged=0 rejected=0", result.Summary);
        await using var db = database.CreateContext();
        var customers = await db.Customers.OrderBy(c => c.ExternalId).ToListAsync();
        Assert.Equal(("de Vries; jr.", true, "csv-import"), (customers[0].LastName, customers[0].MarketingConsent, customers[0].MarketingConsentSource));
        Assert.Equal(("Bob \"the builder\"", "Smith,\nSenior", false), (customers[1].FirstName, customers[1].LastName, customers[1].MarketingConsent));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Orders_DecimalCommaOrPointAndBothDateStyles_AreParsed(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await ImportAsync(database, ImportKind.Customers, "external_id,email\nc-1,a@example.nl\n");
        var file = "external_id;customer_external_id;placed_at;total;currency;discount_code;item_count\n" +
                   "o-1;c-1;2026-11-01T10:00:00+01:00;12,50;eur;;1\n" +
                   "o-2;c-1;01-11-2026;1.234,56;EUR;SPRING;3\n" +
                   "o-3;c-1;02-11-2026 14:30;1,234.5;EUR;;2\n" +
                   "o-4;c-1;2026-11-03;7.25;EUR;;\n";

        var result = await ImportAsync(database, ImportKind.Orders, file);

        Assert.Equal("inserted=4 updated=0 unchanged=0 rejected=0", result.Summary);
        await using var db = database.CreateContext();
        var orders = await db.Orders.OrderBy(o => o.ExternalId).ToListAsync();
        Assert.Equal([12.50m, 1234.56m, 1234.5m, 7.25m], orders.Select(o => o.Total));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), orders[0].PlacedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), orders[1].PlacedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 14, 30, 0, TimeSpan.Zero), orders[2].PlacedAt);
        Assert.Equal(("EUR", "SPRING", 1), (orders[0].Currency, orders[1].DiscountCode, orders[3].ItemCount));
    }

    [Fact]
    public async Task MalformedRows_AreRejectedOneByOneWithTheirLineAndTheRestImported()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        await ImportAsync(database, ImportKind.Customers, "external_id,email\nc-1,a@example.nl\n");
        var bytes = Encoding.UTF8.GetBytes(
            "external_id,customer_external_id,placed_at,total,currency\n" +      // line 1
            "o-1,c-1,2026-11-01,10,EUR\n" +                                       // 2 ok
            "o-2,c-1,2026-11-01,10\n" +                                           // 3 wrong column count
            "o-3,c-1,\"2026-11-01,10,EUR\n" +                                     // 4 unbalanced quote
            "o-4,c-1,yesterday,10,EUR\n" +                                        // 5 bad date
            "o-5,c-1,2026-11-01,ten,EUR\n" +                                      // 6 bad amount
            "o-6,c-404,2026-11-01,10,EUR\n" +                                     // 7 unknown customer
            "o-7,c-1,2026-11-01,10,EUR\n").ToList();                              // 8 ok
        bytes.AddRange(Encoding.UTF8.GetBytes("o-8,c-1,2026-11-01,10,"));
        bytes.AddRange([0xC3, 0x28]);                                             // 9 invalid UTF-8
        bytes.AddRange(Encoding.UTF8.GetBytes("\no-9,c-1,2026-11-01,10,EUR\n"));  // 10 ok

        var result = await ImportAsync(database, ImportKind.Orders, [.. bytes]);

        Assert.Equal("inserted=3 updated=0 unchanged=0 rejected=6", result.Summary);
        var reasons = result.FirstRejected.ToDictionary(r => r.Line, r => r.Reason);
        Assert.Equal([3, 4, 5, 6, 7, 9], reasons.Keys.Order());
        Assert.Contains("Has 4 fields where the header has 5", reasons[3], StringComparison.Ordinal);
        Assert.Contains("unbalanced quotes", reasons[4], StringComparison.Ordinal);
        Assert.Contains("placed_at", reasons[5], StringComparison.Ordinal);
        Assert.Contains("total", reasons[6], StringComparison.Ordinal);
        Assert.Contains("customer_external_id", reasons[7], StringComparison.Ordinal);
        Assert.Contains("not UTF-8", reasons[9], StringComparison.Ordinal);
        var report = await File.ReadAllLinesAsync(result.ReportPath!);
        Assert.Equal("line,key,reason", report[0].TrimStart('\uFEFF'));
        Assert.Equal(7, report.Length);
    }

    [Fact]
    public async Task Customers_InvalidEmail_IsRejectedWithLineAndColumn()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);

        var result = await ImportAsync(database, ImportKind.Customers, "external_id,email\nc-1,a@example.nl\nc-2,not-an-email\n");

        var rejected = Assert.Single(result.FirstRejected);
        Assert.Equal((3L, "c-2"), (rejected.Line, rejected.Key));
        Assert.StartsWith("email:", rejected.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The file is empty.")]
    [InlineData("external_id,email\n", "The file has a header but no rows.")]
    [InlineData("id,mail\n1,a@example.nl\n", "lacks the required column(s) external_id, email")]
    public async Task WholeFileProblems_GetOneClearMessage(string content, string expected)
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);

        var error = await Assert.ThrowsAsync<ImportFileException>(() => ImportAsync(database, ImportKind.Customers, content));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BinaryFile_GetsOneClearMessage()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];

        var error = await Assert.ThrowsAsync<ImportFileException>(() => ImportAsync(database, ImportKind.Orders, png));

        Assert.Contains("not a CSV text file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task SameFileTwice_SecondImportChangesNothing(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        var file = new StringBuilder("external_id,email,locale\n");
        for (var i = 0; i < 5_000; i++)
        {
            file.Append(System.Globalization.CultureInfo.InvariantCulture, $"c-{i},c{i}@example.nl,{(i % 2 == 0 ? "nl" : "en")}\n");
        }

        var first = await ImportAsync(database, ImportKind.Customers, file.ToString());
        var second = await ImportAsync(database, ImportKind.Customers, file.ToString());

        Assert.Equal("inserted=5000 updated=0 unchanged=0 rejected=0", first.Summary);
        Assert.Equal("inserted=0 updated=0 unchanged=5000 rejected=0", second.Summary);
    }

    [Fact]
    public async Task DryRun_CountsLikeARealRunAndStoresNothing()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);

        var result = await ImportAsync(database, ImportKind.Customers, "external_id,email,shoe_size\nc-1,a@example.nl,38\nc-2,nope,40\n", dryRun: true);

        Assert.Equal("inserted=1 updated=0 unchanged=0 rejected=1", result.Summary);
        Assert.Equal(["shoe_size"], result.IgnoredColumns);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.Customers.CountAsync());
    }

    [Fact]
    public void Preview_ShowsDelimiterMappingAndFirstRows()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("Event_Id;customer_external_id;kind;note\ne-1;c-1;cancelled;x\ne-2;c-2;paused;y\n"));

        var preview = CsvImporter.Preview(stream, ImportKind.SubscriptionEvents);

        Assert.Equal(';', preview.Delimiter);
        Assert.Equal(["event_id", "customer_external_id", "kind"], preview.Mapped);
        Assert.Equal(["note"], preview.Ignored);
        Assert.Equal(["occurred_at"], preview.Missing);
        Assert.Equal(2, preview.FirstRows.Count);
    }

    [Theory]
    [InlineData("12,5", 12.5)]
    [InlineData("12.5", 12.5)]
    [InlineData("1.234,56", 1234.56)]
    [InlineData("1,234.56", 1234.56)]
    [InlineData("1.000.000", 1000000)]
    [InlineData("-3,75", -3.75)]
    [InlineData("7", 7)]
    public void TryParseDecimal_FollowsTheDocumentedRule(string text, double expected)
    {
        Assert.True(CsvValues.TryParseDecimal(text, out var value));
        Assert.Equal((decimal)expected, value);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private Task<ImportResult> ImportAsync(TestDatabase database, ImportKind kind, string content, bool dryRun = false) =>
        ImportAsync(database, kind, Encoding.UTF8.GetBytes(content), dryRun);

    private async Task<ImportResult> ImportAsync(TestDatabase database, ImportKind kind, byte[] content, bool dryRun = false)
    {
        using var harness = new EmailHarness(database, now: Now);
        await using var scope = harness.Services.CreateAsyncScope();
        var importer = new CsvImporter(scope.ServiceProvider.GetRequiredService<IngestService>(), new StorageSettings(_data.Path), harness.Time);
        using var stream = new MemoryStream(content);
        return await importer.ImportAsync(stream, kind, dryRun, progress: null, CancellationToken.None);
    }
}
