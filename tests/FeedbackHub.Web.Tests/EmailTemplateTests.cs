using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>Templates rendered through HtmlRenderer, in both languages, with marketers' wording.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EmailTemplateTests(PostgresServer postgres)
{
    [Fact]
    public async Task ThankYou_InDutch_HasDutchWordsInBothParts_AndTheCustomerFooter()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);

        var rendered = await RenderAsync(email, EmailTemplates.ThankYou, "nl", EmailTemplates.ThankYou.SampleValues, "https://shop.example/unsubscribe/t");

        Assert.Equal("Bedankt voor je bestelling, Sam", rendered.Subject);
        Assert.Contains("<html lang=\"nl\">", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("THX-7KQ2M9XR4D", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Afmelden of kiezen welke e-mails je krijgt", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Damrak 1", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Bedankt, Sam!", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("Afmelden of kiezen welke e-mails je krijgt: https://shop.example/unsubscribe/t", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedLanguage_FallsBackToTheConfiguredDefault()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        email.Options.DefaultLocale = "nl";

        var rendered = await RenderAsync(email, EmailTemplates.PasswordReset, "de", EmailTemplates.PasswordReset.SampleValues, null);

        Assert.Equal("nl", rendered.Locale);
        Assert.DoesNotContain("unsubscribe", rendered.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PlaceholderValues_AreHtmlEncoded()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        var values = new Dictionary<string, string>(EmailTemplates.ThankYou.SampleValues) { ["first_name"] = "<script>alert('x')</script>" };

        var rendered = await RenderAsync(email, EmailTemplates.ThankYou, "en", values, null);

        Assert.DoesNotContain("<script>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<script>", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavedWording_ReplacesTheDefault_ForThatLanguageOnly()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using (var db = database.CreateContext())
        {
            db.EmailTextBlocks.Add(new EmailTextBlock { Template = "thank-you", Locale = "en", Block = "heading", Text = "Cheers, {first_name} <3" });
            await db.SaveChangesAsync();
        }

        var english = await RenderAsync(email, EmailTemplates.ThankYou, "en", EmailTemplates.ThankYou.SampleValues, null);
        var dutch = await RenderAsync(email, EmailTemplates.ThankYou, "nl", EmailTemplates.ThankYou.SampleValues, null);

        Assert.Contains("Cheers, Sam &lt;3", english.Html, StringComparison.Ordinal);
        Assert.Contains("Bedankt, Sam!", dutch.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("heading", "Hi {first_name}", 0)]
    [InlineData("heading", "Hi {firstname}", 1)]
    [InlineData("heading", "Hi {first_name", 1)]
    [InlineData("subject", "Two\nlines", 1)]
    [InlineData("heading", "   ", 1)]
    [InlineData("nonexistent", "Hi", 1)]
    public void Validate_ReportsEachProblem(string block, string text, int problems)
    {
        Assert.Equal(problems, EmailTemplates.ThankYou.Validate(block, text).Count);
    }

    [Fact]
    public void Validate_UnknownPlaceholder_NamesTheKnownOnes()
    {
        var problem = Assert.Single(EmailTemplates.ThankYou.Validate("intro", "Hello {nam}"));

        Assert.Contains("{nam}", problem, StringComparison.Ordinal);
        Assert.Contains("{first_name}", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("{action_url}", problem, StringComparison.Ordinal);
    }

    private static async Task<RenderedEmail> RenderAsync(
        EmailHarness email, EmailTemplate template, string locale, IReadOnlyDictionary<string, string> values, string? unsubscribeUrl)
    {
        await using var scope = email.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EmailRenderer>().RenderAsync(template, locale, values, unsubscribeUrl, CancellationToken.None);
    }
}
