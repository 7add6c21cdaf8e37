using System.Net;
using FeedbackHub.Data;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features;
using FeedbackHub.Web.Features.Surveys;
using FeedbackHub.Web.Features.Surveys.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>The support lead's churn pages over HTTP against the real app: answers shown encoded, filters, roles.</summary>
public sealed class ChurnReviewTests : IDisposable
{
    private const string Hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> & \"quotes\"";

    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task AnswerWithScriptAndHtml_IsShownAsText_InTheListAndTheDetail()
    {
        var eventId = await AnsweredEventAsync("xss@example.com", "experience", Hostile);
        await _factory.CreateStaffAsync("lead@example.com", StaffRoles.SupportLead);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        (await session.LogInAsync("lead@example.com", FeedbackHubFactory.Password)).Dispose();

        var list = await session.GetPageAsync("/surveys/responses");
        var detail = await session.GetPageAsync($"/surveys/responses/{eventId}");

        foreach (var page in new[] { list, detail })
        {
            Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;", page, StringComparison.Ordinal);
        }

        Assert.Contains("subscription cancelled on", detail, StringComparison.Ordinal);
        Assert.Contains("A bad experience (product, delivery, website)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_SelectByReasonAnswerAndWonBack()
    {
        await AnsweredEventAsync("price@example.com", "price", "too expensive");
        await AnsweredEventAsync("service@example.com", "service", "slow delivery");
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, "silent@example.com");
        await using var scope = _factory.Services.CreateAsyncScope();
        var review = scope.ServiceProvider.GetRequiredService<ExitSurveyReview>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.ChurnEvents.Where(e => e.Customer!.Email == "service@example.com").ExecuteUpdateAsync(s => s.SetProperty(e => e.WonBackAt, DateTimeOffset.UtcNow));

        Assert.Equal(3, (await review.ListAsync(new ChurnFilter(), 1, CancellationToken.None)).Total);
        Assert.Equal(["price@example.com"], Emails(await review.ListAsync(new ChurnFilter(Reason: "price"), 1, CancellationToken.None)));
        Assert.Equal(["silent@example.com"], Emails(await review.ListAsync(new ChurnFilter(Answer: AnswerFilter.Unanswered), 1, CancellationToken.None)));
        Assert.Equal(["service@example.com"], Emails(await review.ListAsync(new ChurnFilter(WonBack: true), 1, CancellationToken.None)));
        Assert.Equal(0, (await review.ListAsync(new ChurnFilter(Language: "nl"), 1, CancellationToken.None)).Total);
        Assert.Equal(0, (await review.ListAsync(new ChurnFilter(From: DateOnly.FromDateTime(DateTime.UtcNow.AddDays(2))), 1, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Marketer_CannotOpenTheChurnPages()
    {
        await _factory.CreateStaffAsync("marketer@example.com", StaffRoles.Marketer);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        (await session.LogInAsync("marketer@example.com", FeedbackHubFactory.Password)).Dispose();

        using var response = await session.Client.GetAsync(new Uri("/surveys/responses", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public void Dispose() => _factory.Dispose();

    private static string[] Emails(Paged<ChurnRow> page) => [.. page.Rows.Select(r => r.Email)];

    /// <summary>A churned customer who answered through the real submission service; returns the churn event's id.</summary>
    private async Task<long> AnsweredEventAsync(string email, string reason, string comment)
    {
        await ExitSurveys.InviteChurnedCustomerAsync(_factory.Services, email);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var invitation = await db.SurveyInvitations.SingleAsync(i => i.Customer!.Email == email);
        var version = await scope.ServiceProvider.GetRequiredService<SurveyVersions>().CurrentAsync(CancellationToken.None);
        var result = await scope.ServiceProvider.GetRequiredService<SurveySubmissions>()
            .SubmitAsync(invitation.Id, new SurveyAnswers(version.Id, reason, comment, "4"), "en", CancellationToken.None);
        Assert.Equal(SubmitOutcome.Saved, result.Outcome);
        return invitation.ChurnEventId;
    }
}
