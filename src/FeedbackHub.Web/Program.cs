using FeedbackHub.Web.Features.Unsubscribe;
using FeedbackHub.Web;
using FeedbackHub.Web.Features.Analytics;
using FeedbackHub.Web.Components;
using FeedbackHub.Web.Features;
using FeedbackHub.Web.Features.Api;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Database;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.DemoData;
using FeedbackHub.Web.Features.Health;
using FeedbackHub.Web.Features.Housekeeping;
using FeedbackHub.Web.Features.Import;
using FeedbackHub.Web.Features.Ingest;
using FeedbackHub.Web.Features.Privacy;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Scheduling;
using FeedbackHub.Web.Features.Security;
using FeedbackHub.Web.Features.Staff;
using FeedbackHub.Web.Features.Surveys;

var builder = WebApplication.CreateBuilder(DemoDataFeature.WithoutSeedFlag(args));
try
{
    builder.AddSecretRedaction();
    builder.AddAppDatabase();
    builder.AddMigrationsAtStartup();
    builder.AddDemoDataAtStartup(args);
    builder.AddHealth();
    builder.AddStaffAccounts();
    builder.AddApiKeys();
    builder.AddSecurity();
    builder.AddApi();
    builder.AddIngest();
    builder.AddCampaigns();
    builder.AddSurveys();
    builder.AddReasons();
    builder.AddAnalytics();
    builder.AddImport();
    builder.AddEmail();
    builder.AddHousekeeping();
    builder.AddPrivacy();
    builder.AddScheduler();
    builder.AddWebUi();

    var app = builder.Build();
    await app.EnsureDatabaseReachableAsync();
    app.UsePipeline();
    app.MapHealth();
    app.MapStaffAccountEndpoints();
    app.MapApiV1().MapIngestApi().MapReadApi().MapDiscountCodeApi().MapCampaignApi().MapReportsApi().MapPrivacyApi();
    app.MapImportEndpoints();
    app.MapUnsubscribeEndpoints();
    app.MapSurveyEndpoints();
    app.MapDashboardExports();
    app.MapPrivacyDownloads();
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.IsExplained(ex))
{
    // A wrong setting or an unreachable database: one clear line, no stack trace.
    await Console.Error.WriteLineAsync($"FeedbackHub cannot start: {StartupFailure.Describe(ex)}");
    return 1;
}

/// <summary>The entry point, visible to integration tests.</summary>
public partial class Program;
