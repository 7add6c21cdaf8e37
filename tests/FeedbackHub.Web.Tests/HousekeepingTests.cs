using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Housekeeping;
using FeedbackHub.Web.Features.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FeedbackHub.Web.Tests;

/// <summary>The housekeeping jobs' work, called as plain methods (no scheduler).</summary>
[Collection(PostgresCollection.Name)]
public sealed class HousekeepingTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 3, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task OutboxHousekeeping_ForEachProvider_EmptiesOnlyBodiesOfEmailsSentBeforeTheCutoff(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            db.OutboxEmails.AddRange(
                Email("sent-long-ago", OutboxStatus.Sent, sentDaysAgo: 91),
                Email("sent-just-over", OutboxStatus.Sent, sentDaysAgo: 90, extra: TimeSpan.FromMinutes(1)),
                Email("sent-recently", OutboxStatus.Sent, sentDaysAgo: 89),
                Email("failed-long-ago", OutboxStatus.Failed, sentDaysAgo: null),
                Email("pending", OutboxStatus.Pending, sentDaysAgo: null));
            await db.SaveChangesAsync();
        }

        var first = await RunOutboxHousekeepingAsync(database);
        var second = await RunOutboxHousekeepingAsync(database);

        Assert.Equal([("emptied", 2L)], first.Counts);
        Assert.Equal([("emptied", 0L)], second.Counts);
        await using var check = database.CreateContext();
        var rows = await check.OutboxEmails.OrderBy(e => e.IdempotencyKey).ToDictionaryAsync(e => e.IdempotencyKey);
        Assert.Equal(5, rows.Count);
        foreach (var key in (string[])["sent-long-ago", "sent-just-over"])
        {
            Assert.Equal(("", ""), (rows[key].HtmlBody, rows[key].TextBody));
        }

        foreach (var key in (string[])["sent-recently", "failed-long-ago", "pending"])
        {
            Assert.Equal(($"<p>{key}</p>", key), (rows[key].HtmlBody, rows[key].TextBody));
        }

        Assert.Equal(("Subject sent-long-ago", OutboxStatus.Sent), (rows["sent-long-ago"].Subject, rows["sent-long-ago"].Status));
    }

    [Fact]
    public async Task OutboxHousekeeping_MoreRowsThanABatch_EmptiesThemAll()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        var count = OutboxHousekeepingJob.BatchSize + 7;
        await using (var db = database.CreateContext())
        {
            db.OutboxEmails.AddRange(Enumerable.Range(0, count).Select(i => Email($"old-{i}", OutboxStatus.Sent, sentDaysAgo: 200)));
            await db.SaveChangesAsync();
        }

        var result = await RunOutboxHousekeepingAsync(database);

        Assert.Equal([("emptied", (long)count)], result.Counts);
        await using var check = database.CreateContext();
        Assert.Equal(0, await check.OutboxEmails.CountAsync(e => e.HtmlBody != "" || e.TextBody != ""));
    }

    [Fact]
    public async Task ImportUploadsCleanup_OldAndNewUploads_DeletesOnlyTheOldOnes()
    {
        using var data = new TemporaryDirectory();
        var storage = new StorageSettings(data.Path);
        var uploads = storage.SubDirectory(ImportJobs.UploadFolder);
        var old = Upload(uploads, "old.csv", Now.AddHours(-25));
        var recent = Upload(uploads, "recent.csv", Now.AddHours(-23));
        var report = Upload(storage.SubDirectory("import-reports"), "report.csv", Now.AddDays(-30));
        var nested = Upload(Directory.CreateDirectory(Path.Combine(uploads, "kept")).FullName, "nested.csv", Now.AddDays(-30));
        var job = new ImportUploadsCleanupJob(storage, Options.Create(new HousekeepingOptions()), new FakeTimeProvider(Now), NullLogger<ImportUploadsCleanupJob>.Instance);

        var result = await job.RunAsync(CancellationToken.None);

        Assert.Equal([("deleted", 1L), ("kept", 1L), ("failed", 0L)], result.Counts);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(report), "Import reports are not uploads.");
        Assert.True(File.Exists(nested), "Only the upload folder's own files are uploads.");
    }

    [Fact]
    public async Task ImportUploadsCleanup_NoUploadFolderYet_DeletesNothing()
    {
        using var data = new TemporaryDirectory();
        var job = new ImportUploadsCleanupJob(new StorageSettings(data.Path), Options.Create(new HousekeepingOptions()), new FakeTimeProvider(Now), NullLogger<ImportUploadsCleanupJob>.Instance);

        var result = await job.RunAsync(CancellationToken.None);

        Assert.Equal([("deleted", 0L), ("kept", 0L), ("failed", 0L)], result.Counts);
    }

    private static async Task<Features.Scheduling.JobResult> RunOutboxHousekeepingAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await new OutboxHousekeepingJob(db, Options.Create(new HousekeepingOptions()), new FakeTimeProvider(Now)).RunAsync(CancellationToken.None);
    }

    private static OutboxEmail Email(string key, OutboxStatus status, int? sentDaysAgo, TimeSpan extra = default) => new()
    {
        IdempotencyKey = key,
        MessageId = $"{key}@feedbackhub.test",
        Purpose = EmailPurpose.Offer,
        Status = status,
        ToAddress = $"{key}@example.nl",
        Subject = $"Subject {key}",
        HtmlBody = $"<p>{key}</p>",
        TextBody = key,
        CreatedAt = Now.AddDays(-200),
        NotBefore = Now.AddDays(-200),
        SentAt = sentDaysAgo is { } days ? Now.AddDays(-days) - extra : null,
    };

    private static string Upload(string folder, string name, DateTimeOffset writtenAt)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "external_id,email\n");
        File.SetLastWriteTimeUtc(path, writtenAt.UtcDateTime);
        return path;
    }
}
