using System.Text;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Import;
using FeedbackHub.Web.Features.Ingest;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Where and when marketing consent was given is kept from a CSV import, as it is from the API.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsentRecordTests(PostgresServer postgres) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDirectory _data = new();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task CsvImport_ConsentSourceAndTimeColumns_AreKept_OtherwiseTheImportAndItsTime(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        var file = "external_id,email,marketing_consent,marketing_consent_source,marketing_consent_at\r\n" +
                   "c-1,anna@example.nl,yes,newsletter form,2026-03-14T10:30:00+01:00\r\n" +
                   "c-2,bob@example.com,no,,\r\n" +
                   "c-3,carla@example.com,yes,checkout,not a date\r\n";

        using var harness = new EmailHarness(database, now: Now);
        await using var scope = harness.Services.CreateAsyncScope();
        var importer = new CsvImporter(scope.ServiceProvider.GetRequiredService<IngestService>(), new Data.Database.StorageSettings(_data.Path), harness.Time);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(file));
        var result = await importer.ImportAsync(stream, ImportKind.Customers, dryRun: false, progress: null, CancellationToken.None);

        Assert.Equal("inserted=2 updated=0 unchanged=0 rejected=1", result.Summary);
        Assert.Contains("marketing_consent_at", result.FirstRejected.Single().Reason, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        var customers = await db.Customers.AsNoTracking().OrderBy(c => c.ExternalId).ToListAsync();
        Assert.Equal((true, "newsletter form", new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero)),
            (customers[0].MarketingConsent, customers[0].MarketingConsentSource, customers[0].MarketingConsentAt));
        Assert.Equal((false, "csv-import", Now), (customers[1].MarketingConsent, customers[1].MarketingConsentSource, customers[1].MarketingConsentAt));
    }

    public void Dispose() => _data.Dispose();
}
