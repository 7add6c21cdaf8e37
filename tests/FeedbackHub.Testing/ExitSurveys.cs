using System.Net;
using System.Text.RegularExpressions;
using FeedbackHub.Data;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FeedbackHub.Testing;

/// <summary>Churned customers with a survey invitation in the outbox, as the nightly run leaves them.</summary>
public static partial class ExitSurveys
{
    /// <summary>Stores a customer who just cancelled and runs the inviter; returns the customer's id.</summary>
    public static async Task<long> InviteChurnedCustomerAsync(IServiceProvider services, string email, string locale = CustomerLocales.English)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var customer = new Customer
        {
            ExternalId = $"c-{email}", Email = email, FirstName = "Sam", Locale = locale, MarketingConsent = true, CreatedAt = now, UpdatedAt = now,
        };
        db.Customers.Add(customer);
        db.ChurnEvents.Add(new ChurnEvent
        {
            Customer = customer, Kind = ChurnKind.SubscriptionCancelled, ReferenceAt = now.AddHours(-1), ChurnedAt = now.AddHours(-1), OpenedAt = now,
            Explanation = "subscription cancelled on " + now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<SurveyInviter>().RunAsync(CancellationToken.None);
        return customer.Id;
    }

    /// <summary>
    /// Stores answered exit surveys directly (customer, churn event, invitation, response), many in one
    /// save, for tests that need hundreds of answers and no emails; returns the response ids in order.
    /// </summary>
    public static async Task<IReadOnlyList<long>> AddAnswersAsync(
        IServiceProvider services, IReadOnlyList<(string Comment, string Reason)> answers, string locale = CustomerLocales.English)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(answers);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var version = await scope.ServiceProvider.GetRequiredService<SurveyVersions>().CurrentAsync(CancellationToken.None);
        var batch = Guid.NewGuid().ToString("N");
        var invitations = answers.Select((_, i) =>
        {
            var customer = new Customer
            {
                ExternalId = $"a-{batch}-{i}", Email = $"a{i}-{batch[..8]}@example.com", Locale = locale, CreatedAt = now, UpdatedAt = now,
            };
            var churn = new ChurnEvent
            {
                Customer = customer, Kind = ChurnKind.SubscriptionCancelled, ReferenceAt = now.AddDays(-1), ChurnedAt = now.AddDays(-1), OpenedAt = now,
                Explanation = "subscription cancelled",
            };
            return new SurveyInvitation
            {
                ChurnEvent = churn, Customer = customer, TokenHash = $"{batch}-{i}".PadRight(43, 'x'), Locale = locale,
                CreatedAt = now, ExpiresAt = now.AddDays(30), AnsweredAt = now,
            };
        }).ToList();
        db.SurveyInvitations.AddRange(invitations);
        await db.SaveChangesAsync();
        var responses = invitations.Select((invitation, i) => new SurveyResponse
        {
            InvitationId = invitation.Id, CustomerId = invitation.CustomerId, SurveyVersionId = version.Id, Locale = locale,
            Reason = answers[i].Reason, Comment = answers[i].Comment, SubmittedAt = now,
        }).ToList();
        db.SurveyResponses.AddRange(responses);
        await db.SaveChangesAsync();
        return [.. responses.Select(r => r.Id)];
    }

    /// <summary>The survey link's path (<c>/s/…</c>) in the newest email queued to this address.</summary>
    public static async Task<string> LinkPathAsync(IServiceProvider services, string email)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var body = await db.OutboxEmails.Where(e => e.ToAddress == email).OrderByDescending(e => e.Id).Select(e => e.TextBody).FirstAsync();
        return LinkPath(body);
    }

    /// <summary>The survey link's path in an email's text.</summary>
    public static string LinkPath(string emailText)
    {
        var match = Link().Match(emailText ?? "");
        return match.Success ? match.Value : throw new InvalidOperationException("The email holds no survey link.");
    }

    /// <summary>Follows the emailed link like a browser: the token is swapped for a cookie, then the form loads.</summary>
    public static async Task<string> OpenSurveyAsync(HttpClient client, IServiceProvider services, string email)
    {
        ArgumentNullException.ThrowIfNull(client);
        var link = await LinkPathAsync(services, email);
        using var opened = await client.GetAsync(new Uri(link, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        using var page = await client.GetAsync(opened.Headers.Location);
        Assert.True(page.Headers.CacheControl?.NoStore, "survey pages are never cached");
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        return await page.Content.ReadAsStringAsync();
    }

    /// <summary>The survey form's hidden fields (antiforgery token, version, language) with these answers, as a browser posts them.</summary>
    public static FormUrlEncodedContent Answers(string form, string reason, string comment, string comeback)
    {
        var hidden = HiddenField().Matches(form ?? "").ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        return new FormUrlEncodedContent([.. hidden, new("reason", reason), new("comment", comment), new("comeback", comeback)]);
    }

    [GeneratedRegex(@"/s/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenField();
}
