using System.Net;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>RFC 8058 one-click unsubscribe and the preferences page, over HTTP against the real app.</summary>
public sealed class UnsubscribeTests : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task OneClickPost_WithoutCookies_SuppressesAtOnce_AndNoFurtherOfferIsQueued()
    {
        var customer = await AddCustomerAsync("Ann@Example.nl", CustomerLocales.Dutch);
        var path = UnsubscribePath(customer.Email);
        using var client = _factory.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });

        using var response = await client.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Je bent afgemeld.", await response.Content.ReadAsStringAsync());
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var suppression = await db.Suppressions.SingleAsync();
        Assert.Equal(("ann@example.nl", SuppressionScope.All, SuppressionReason.Unsubscribed, "one-click"),
            (suppression.Address, suppression.Scope, suppression.Reason, suppression.Source));

        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var offer = await outbox.QueueToCustomerAsync(customer, "thank-you:o-1", EmailTemplates.ThankYou, EmailTemplates.ThankYou.SampleValues, null, CancellationToken.None);
        await db.SaveChangesAsync();
        Assert.Equal(QueueOutcome.Skipped, offer.Outcome);
        Assert.Equal(0, await db.OutboxEmails.CountAsync(e => e.Status != OutboxStatus.Skipped));
    }

    [Fact]
    public async Task Get_ShowsChoicesInTheCustomersLanguage_AndChangesNothing()
    {
        var customer = await AddCustomerAsync("bo@example.nl", CustomerLocales.Dutch);
        var path = UnsubscribePath(customer.Email);
        using var client = _factory.CreateClient(new() { HandleCookies = false });

        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"nl\">", html, StringComparison.Ordinal);
        Assert.Contains("Jouw e-mailkeuzes", html, StringComparison.Ordinal);
        Assert.Contains("bo@example.nl", html, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("English", html, StringComparison.Ordinal);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Suppressions.ToListAsync());
    }

    [Fact]
    public async Task PreferencesForm_OffersOff_SuppressesOffersOnly_AndShowsTheChoiceSaved()
    {
        var customer = await AddCustomerAsync("cas@example.nl", CustomerLocales.English);
        var path = UnsubscribePath(customer.Email);
        using var client = _factory.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });

        using var saved = await client.PostAsync($"{path}/preferences", new FormUrlEncodedContent([new("surveys", "on"), new("lang", "en")]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await client.GetStringAsync(saved.Headers.Location);

        Assert.Contains("Your choices are saved.", page, StringComparison.Ordinal);
        Assert.Matches("id=\"offers\" name=\"offers\" value=\"on\" aria-describedby", page);
        Assert.Matches("id=\"surveys\" name=\"surveys\" value=\"on\" checked", page);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal([SuppressionScope.Offers], await scope.ServiceProvider.GetRequiredService<AppDbContext>().Suppressions.Select(s => s.Scope).ToListAsync());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task ForgedToken_IsNotFound_AndChangesNothing(string method)
    {
        using var client = _factory.CreateClient(new() { HandleCookies = false });

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/unsubscribe/CfDJ8not-a-real-token"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Suppressions.ToListAsync());
    }

    public void Dispose() => _factory.Dispose();

    private string UnsubscribePath(string address) =>
        new Uri(_factory.Services.GetRequiredService<UnsubscribeLinks>().For(address)).AbsolutePath;

    private async Task<Customer> AddCustomerAsync(string email, string locale)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customer = new Customer { ExternalId = email, Email = email, FirstName = "Ann", Locale = locale, MarketingConsent = true, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer;
    }
}
