using System.Net;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Staff;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Surveys;
using FeedbackHub.Web.Features.Surveys.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Admins editing the survey (versions) and marketers configuring win-back offers, against the real app and database.</summary>
public sealed class SurveyAdministrationTests : IDisposable
{
    private static readonly Actor Admin = new("admin-id", "admin@example.com");

    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task EditingTheSurvey_MakesANewVersion_CustomersSeeIt_AndEarlierResponsesKeepTheirs()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "early@example.com");
        using (var early = _factory.CreateBrowserLikeClient())
        {
            var form = await ExitSurveys.OpenSurveyAsync(early, _factory.Services, "early@example.com");
            using var submitted = await early.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "price", "", ""));
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        var edited = SurveyForm.From(SurveyDefinition.Default);
        edited.Title.Dutch = "Waarom ging je weg?";
        edited.Choices.Insert(3, new ChoiceRow { Key = "delivery", English = "Delivery took too long", Dutch = "De bezorging duurde te lang" });
        var saved = await EditorAsync(editor => editor.SaveAsync(Admin, edited.ToDefinition(), CancellationToken.None));

        Assert.True(saved.Succeeded);
        Assert.Equal((2, true), (saved.Value!.Version.Number, saved.Value.Changed));
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "later@example.nl", CustomerLocales.Dutch);
        using var later = _factory.CreateBrowserLikeClient();
        var newForm = await ExitSurveys.OpenSurveyAsync(later, _factory.Services, "later@example.nl");
        Assert.Contains("Waarom ging je weg?", newForm, StringComparison.Ordinal);
        Assert.Contains("<label for=\"reason-delivery\">De bezorging duurde te lang</label>", newForm, StringComparison.Ordinal);
        using (var submitted = await later.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(newForm, "delivery", "Drie weken gewacht.", "2")))
        {
            Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        }

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var versions = await db.SurveyVersions.OrderBy(v => v.Number).ToListAsync();
        var responses = await db.SurveyResponses.Include(r => r.Invitation).ThenInclude(i => i!.Customer).ToDictionaryAsync(r => r.Invitation!.Customer!.Email);
        Assert.Equal(versions[0].Id, responses["early@example.com"].SurveyVersionId);
        Assert.Equal((versions[1].Id, "delivery"), (responses["later@example.nl"].SurveyVersionId, responses["later@example.nl"].Reason));
        Assert.DoesNotContain("\"key\":\"delivery\"", versions[0].Definition, StringComparison.Ordinal);
        Assert.True(await db.AuditLog.AnyAsync(a => a.Action == AuditActions.SurveyVersionCreated && a.Target == "version 2"));
    }

    [Fact]
    public async Task SavingWithoutChanges_MakesNoVersion()
    {
        var result = await EditorAsync(editor => editor.SaveAsync(Admin, SurveyForm.From(SurveyDefinition.Default).ToDefinition(), CancellationToken.None));

        Assert.Equal((1, false), (result.Value!.Version.Number, result.Value.Changed));
        Assert.Equal(1, await CountAsync(db => db.SurveyVersions));
    }

    [Fact]
    public async Task AWrongSurvey_IsRefusedField_ByField_AndNothingIsStored()
    {
        var form = SurveyForm.From(SurveyDefinition.Default);
        form.Title.English = "  ";
        form.Choices[1].Key = "price";
        form.Choices[2].Dutch = "";
        form.ThanksText.Dutch = new string('x', SurveyDefinition.MaxText + 1);

        var result = await EditorAsync(editor => editor.SaveAsync(Admin, form.ToDefinition(), CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Equal(["dutch.choices[1].key", "dutch.choices[2].label", "dutch.thanksText", "english.choices[1].key", "english.title"],
            result.Errors.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.Equal("At most 500 characters (501 now).", result.Errors["dutch.thanksText"].Single());
        Assert.Equal(0, await CountAsync(db => db.SurveyVersions));
        Assert.Equal(0, await CountAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.SurveyVersionCreated)));
    }

    [Fact]
    public async Task AWrongOffer_IsRefusedWithEveryReason_AndNothingIsStored()
    {
        var result = await OffersAsync(editor => editor.SaveAsync(Admin, new WinBackOfferInput
        {
            Reason = "price", Enabled = true, Kind = WinBackOfferKind.DiscountCode, CampaignId = 999, HoldoutShare = 0.6m,
            MessageEnglish = "", MessageDutch = new string('x', SurveyLimits.OfferMessage + 1),
        }, CancellationToken.None));
        var unknown = await OffersAsync(editor => editor.SaveAsync(Admin, new WinBackOfferInput { Reason = "weather" }, CancellationToken.None));

        Assert.Equal(["campaignId", "holdoutShare", "messageDutch", "messageEnglish"], result.Errors.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.Equal("There is no campaign 999.", result.Errors["campaignId"].Single());
        Assert.Equal("The hold-out share is 0 % to 50 %.", result.Errors["holdoutShare"].Single());
        Assert.Equal("The Dutch message is at most 1,000 characters (1,001 now).", result.Errors["messageDutch"].Single());
        Assert.Equal("The survey has no choice 'weather'.", unknown.Errors["reason"].Single());
        Assert.Equal(0, await CountAsync(db => db.WinBackOffers));
    }

    [Fact]
    public async Task AnOffer_IsShownToCustomersWhoChooseItsReason_AndCountedBesideItsHoldout()
    {
        var saved = await OffersAsync(editor => editor.SaveAsync(Admin, new WinBackOfferInput
        {
            Reason = "service", Enabled = true, Kind = WinBackOfferKind.Message, HoldoutShare = 0,
            MessageEnglish = "A team lead will call you this week.", MessageDutch = "Een teamleider belt je deze week.",
        }, CancellationToken.None));
        Assert.True(saved.Succeeded);

        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "called@example.com");
        using var client = _factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "called@example.com");
        using var submitted = await client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "service", "Nobody answered my emails.", ""));
        var thanks = await client.GetStringAsync(submitted.Headers.Location);
        Assert.Contains("A team lead will call you this week.", thanks, StringComparison.Ordinal);

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            // The customer ordered again after answering: won back.
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().ChurnEvents
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.WonBackAt, DateTimeOffset.UtcNow.AddDays(1)));
        }

        var rows = await OffersAsync(editor => editor.ListAsync(CancellationToken.None));
        var service = rows.Single(r => r.Reason == "service");
        Assert.Equal(["price", "service", "experience", "other"], rows.Select(r => r.Reason).ToList());
        Assert.Equal((new WinBackGroupCount(1, 1), new WinBackGroupCount(0, 0)), (service.Offered, service.Holdout));
        Assert.Equal("1, won back 1 (100%)", service.Offered.Describe());
        Assert.False(rows.Single(r => r.Reason == "price").Stored);
        Assert.Equal(1, await CountAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.WinBackOfferChanged && a.Target == "service")));
    }

    [Fact]
    public async Task ADiscountCodeOffer_NeedsAnExistingCampaign_AndDisablingItStopsTheOffer()
    {
        long campaignId;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var campaign = new Campaign { Name = "Win back on price", DiscountValue = 10, Status = CampaignStatus.Paused };
            campaign.Variants.Add(new CampaignVariant { Name = "A" });
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            campaignId = campaign.Id;
        }

        var offer = new WinBackOfferInput
        {
            Reason = "price", Enabled = true, Kind = WinBackOfferKind.DiscountCode, CampaignId = campaignId, HoldoutShare = 0.2m,
            MessageEnglish = "10% off if you give us another try.", MessageDutch = "10% korting als je het nog eens probeert.",
        };
        Assert.True((await OffersAsync(editor => editor.SaveAsync(Admin, offer, CancellationToken.None))).Succeeded);
        offer.Enabled = false;
        Assert.True((await OffersAsync(editor => editor.SaveAsync(Admin, offer, CancellationToken.None))).Succeeded);

        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "nooffer@example.com");
        using var client = _factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "nooffer@example.com");
        using var submitted = await client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "price", "", ""));
        Assert.DoesNotContain("10% off if you give us another try.", await client.GetStringAsync(submitted.Headers.Location), StringComparison.Ordinal);
        await using var check = _factory.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<AppDbContext>().WinBackOffers.SingleAsync();
        Assert.Equal((false, campaignId, 0.2m), (stored.Enabled, stored.CampaignId, stored.HoldoutShare));
        Assert.Equal(0, await CountAsync(db => db.DiscountCodes));
    }

    [Theory]
    [InlineData("/admin/survey", StaffRoles.Admin, HttpStatusCode.OK)]
    [InlineData("/admin/survey", StaffRoles.Marketer, HttpStatusCode.Forbidden)]
    [InlineData("/admin/survey", StaffRoles.SupportLead, HttpStatusCode.Forbidden)]
    [InlineData("/campaigns/win-back", StaffRoles.Marketer, HttpStatusCode.OK)]
    [InlineData("/campaigns/win-back", StaffRoles.Admin, HttpStatusCode.OK)]
    [InlineData("/campaigns/win-back", StaffRoles.SupportLead, HttpStatusCode.Forbidden)]
    public async Task Pages_AreOpenOnlyToTheirRoles(string path, string role, HttpStatusCode expected)
    {
        await _factory.CreateStaffAsync("staff@example.com", role);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        (await session.LogInAsync("staff@example.com", FeedbackHubFactory.Password)).Dispose();

        using var response = await session.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains(path == "/admin/survey" ? "Save as version 2" : "Save the offer for The price", page, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _factory.Dispose();

    private async Task<T> EditorAsync<T>(Func<SurveyEditor, Task<T>> work)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SurveyEditor>());
    }

    private async Task<T> OffersAsync<T>(Func<WinBackOfferEditor, Task<T>> work)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<WinBackOfferEditor>());
    }

    private async Task<int> CountAsync<T>(Func<AppDbContext, IQueryable<T>> rows)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await rows(scope.ServiceProvider.GetRequiredService<AppDbContext>()).CountAsync();
    }
}
