using FeedbackHub.Data;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Features.Email;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Tests;

/// <summary>Reports built by hand over a test database, for the shop in Amsterdam (the default zone).</summary>
internal static class TestReports
{
    public static ReportSummaries Summaries(AppDbContext db, TestDatabase database) =>
        new(db, database.Settings, Options.Create(new EmailOptions()));
}
