using System.Net;
using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>The public exit survey over HTTP against the real app: links, the session cookie, one submission, limits.</summary>
public sealed class SurveyTests : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task PrefetchedLink_ConsumesNothing_AndRedirectsToAUrlWithoutTheToken()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "pre@example.nl");
        var link = await ExitSurveys.LinkPathAsync(_factory.Services, "pre@example.nl");
        using var scanner = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

        for (var i = 0; i < 2; i++)
        {
            using var response = await scanner.GetAsync(link);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(SurveyLinks.SurveyPath, response.Headers.Location?.OriginalString);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SurveyLinks.CookieName, StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/survey", cookie, StringComparison.OrdinalIgnoreCase);
        }

        var invitation = await InvitationAsync();
        Assert.Null(invitation.AnsweredAt);
        Assert.Null(invitation.OpenedAt);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.CountAsync());
        // Only the hash is stored.
        Assert.Equal(SurveyLinks.Hash(link[3..]), invitation.TokenHash);
    }

    [Fact]
    public async Task Customer_AnswersInTheirLanguage_AndSeesTheThankYou()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "anna@example.nl", CustomerLocales.Dutch);
        using var client = _factory.CreateBrowserLikeClient();

        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "anna@example.nl");
        Assert.Contains("<html lang=\"nl\">", form, StringComparison.Ordinal);
        Assert.Contains("Wat was de belangrijkste reden?", form, StringComparison.Ordinal);
        Assert.Contains("<label for=\"reason-price\">De prijs</label>", form, StringComparison.Ordinal);
        using var submitted = await client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "price", "Te duur geworden.\r\nVerder prima.", "7"));

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var thanks = await client.GetStringAsync(submitted.Headers.Location);
        Assert.Contains("Bedankt!", thanks, StringComparison.Ordinal);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var response = await db.SurveyResponses.SingleAsync();
        Assert.Equal(("price", "Te duur geworden.\nVerder prima.", (int?)7, "nl"), (response.Reason, response.Comment, response.ComebackLikelihood, response.Locale));
        Assert.Equal((await db.SurveyVersions.SingleAsync()).Id, response.SurveyVersionId);
        var invitation = await db.SurveyInvitations.SingleAsync();
        Assert.NotNull(invitation.OpenedAt);
        Assert.NotNull(invitation.AnsweredAt);
    }

    [Fact]
    public async Task SecondSubmit_KeepsTheFirstAnswer_AndSaysItWasAlreadyReceived()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "twice@example.com");
        using var client = _factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "twice@example.com");
        using var first = await client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "service", "first", "3"));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        using var second = await client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "price", "second", "9"));
        // The link, replayed later, shows the thank-you page, not a fresh form.
        using var replayed = _factory.CreateBrowserLikeClient();
        var again = await ExitSurveys.OpenSurveyAsync(replayed, _factory.Services, "twice@example.com");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("We already have your answers", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Thank you!", again, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", again, StringComparison.Ordinal);
        Assert.Equal(("service", "first"), await SingleAnswerAsync());
    }

    [Fact]
    public async Task TwoConcurrentSubmits_StoreExactlyOne()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "race@example.com");
        using var client = _factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "race@example.com");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "price", $"answer {i}", "5"))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Redirect));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal("price", (await SingleAnswerAsync()).Reason);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ExpiredLink_ReadsExactlyLikeAnUnknownOne()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "late@example.com");
        var link = await ExitSurveys.LinkPathAsync(_factory.Services, "late@example.com");
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyInvitations
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var expired = await client.GetAsync(link);
        using var unknown = await client.GetAsync("/s/" + new string('A', 43));

        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.False(expired.Headers.Contains("Set-Cookie"));
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await expired.Content.ReadAsStringAsync());
        Assert.Contains("This survey link does not work", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuessingLinks_IsLimited_With429AndRetryAfter()
    {
        using var client = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var limit = new SurveyOptions().TokenGuessesPerMinute;
        for (var i = 0; i < limit; i++)
        {
            using var miss = await client.GetAsync($"/s/guess-{i}");
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
        }

        using var blocked = await client.GetAsync("/s/one-more");

        Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
        Assert.Equal(Features.Api.GuessLimiter.Step, blocked.Headers.RetryAfter?.Delta);
        Assert.Contains("Too many attempts", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedAnswer_IsRefusedWithAClearMessage_AndTheTextIsKept()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "long@example.com");
        using var client = _factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "long@example.com");
        var tooLong = new string('x', SurveyLimits.Comment + 1);

        using var response = await client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "other", tooLong, ""));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Your answer is 5,001 characters long; the limit is 5,000.", page, StringComparison.Ordinal);
        Assert.Contains(tooLong, page, StringComparison.Ordinal);
        Assert.Contains("value=\"other\" required checked", page, StringComparison.Ordinal);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.CountAsync());
    }

    [Fact]
    public async Task MissingReason_OrForgedForm_StoresNothing()
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "bad@example.com");
        using var client = _factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "bad@example.com");

        using var noReason = await client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "", "hmm", "11"));
        using var forged = await client.PostAsync(SurveyLinks.SurveyPath, new FormUrlEncodedContent([new("reason", "price"), new("lang", "en")]));
        using var noSession = await _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false })
            .PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "price", "", ""));

        var page = await noReason.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Choose the main reason.", page, StringComparison.Ordinal);
        Assert.Contains("Choose a number from 0 to 10", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noSession.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.CountAsync());
    }

    [Fact]
    public async Task WinBackOffer_ForTheChosenReason_ShowsACodeWithTheCampaignsTerms()
    {
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var campaign = new Campaign { Name = "Come back", CodePrefix = "BACK", DiscountValue = 15, ValidityDays = 14, Status = CampaignStatus.Draft };
            campaign.Variants.Add(new CampaignVariant { Name = "A" });
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            db.WinBackOffers.Add(new WinBackOffer
            {
                Reason = "price", Kind = WinBackOfferKind.DiscountCode, CampaignId = campaign.Id, Enabled = true, HoldoutShare = 0,
                MessageEnglish = "Here is something to make it up to you.", MessageDutch = "Hier is iets om het goed te maken.",
            });
            await db.SaveChangesAsync();
        }

        var customerId = await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "offer@example.com");
        using var client = _factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, _factory.Services, "offer@example.com");
        using var submitted = await client.PostAsync(SurveyLinks.SurveyPath, ExitSurveys.Answers(form, "price", "", ""));
        var thanks = await client.GetStringAsync(submitted.Headers.Location);

        await using var check = _factory.Services.CreateAsyncScope();
        var code = await check.ServiceProvider.GetRequiredService<AppDbContext>().DiscountCodes.SingleAsync();
        var response = await check.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.SingleAsync();
        Assert.Equal((customerId, 15m), (code.CustomerId, code.DiscountValue));
        Assert.Equal((WinBackGroup.Offered, code.Id), (response.WinBackGroup, response.DiscountCodeId));
        Assert.Contains("Here is something to make it up to you.", thanks, StringComparison.Ordinal);
        Assert.Contains(Features.Campaigns.DiscountCodeFormat.Display(code.Code, "BACK"), thanks, StringComparison.Ordinal);
        Assert.Contains("15% off, valid until", thanks, StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();

    private async Task<SurveyInvitation> InvitationAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyInvitations.AsNoTracking().SingleAsync();
    }

    private async Task<(string Reason, string Comment)> SingleAnswerAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var response = await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.SingleAsync();
        return (response.Reason, response.Comment);
    }
}
