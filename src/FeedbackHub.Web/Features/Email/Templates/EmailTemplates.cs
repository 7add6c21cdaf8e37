using FeedbackHub.Data.Email;

namespace FeedbackHub.Web.Features.Email.Templates;

/// <summary>Every email FeedbackHub knows how to write, with its built-in Dutch and English wording.</summary>
public static class EmailTemplates
{
    public static EmailTemplate StaffInvitation { get; } = new(
        "staff-invitation",
        "Staff invitation",
        EmailPurpose.Transactional,
        [
            new("subject", BlockKind.Subject, "You are invited to FeedbackHub", "Je bent uitgenodigd voor FeedbackHub"),
            new("heading", BlockKind.Heading, "Welcome, {name}", "Welkom, {name}"),
            new("intro", BlockKind.Paragraph,
                "{inviter} invited you to FeedbackHub. Choose a password to start; the link works once and expires after {valid_for}.",
                "{inviter} heeft je uitgenodigd voor FeedbackHub. Kies een wachtwoord om te beginnen; de link werkt één keer en verloopt na {valid_for}."),
            new("button", BlockKind.Button, "Choose your password", "Kies je wachtwoord"),
            new("ignore", BlockKind.Paragraph,
                "Not expecting this? Then you can ignore this email.",
                "Had je dit niet verwacht? Dan kun je deze e-mail negeren."),
        ],
        new Dictionary<string, string>
        {
            ["name"] = "Sam de Vries",
            ["inviter"] = "Ann Jansen",
            ["valid_for"] = "3 days",
            [EmailTemplate.ActionUrl] = "https://feedback.example.com/account/accept-invitation?code=sample",
        });

    public static EmailTemplate PasswordReset { get; } = new(
        "password-reset",
        "Password reset",
        EmailPurpose.Transactional,
        [
            new("subject", BlockKind.Subject, "Reset your FeedbackHub password", "Stel je FeedbackHub-wachtwoord opnieuw in"),
            new("heading", BlockKind.Heading, "Reset your password", "Nieuw wachtwoord instellen"),
            new("intro", BlockKind.Paragraph,
                "Someone asked to reset the password of {email}. The link works once and expires after {valid_for}.",
                "Iemand vroeg om het wachtwoord van {email} opnieuw in te stellen. De link werkt één keer en verloopt na {valid_for}."),
            new("button", BlockKind.Button, "Choose a new password", "Kies een nieuw wachtwoord"),
            new("ignore", BlockKind.Paragraph,
                "Was this not you? Then ignore this email: your password stays as it is.",
                "Was jij dit niet? Negeer deze e-mail dan: je wachtwoord blijft zoals het is."),
        ],
        new Dictionary<string, string>
        {
            ["email"] = "sam@example.com",
            ["valid_for"] = "3 days",
            [EmailTemplate.ActionUrl] = "https://feedback.example.com/account/reset-password?code=sample",
        });

    public static EmailTemplate ThankYou { get; } = new(
        "thank-you",
        "Thank you with a discount code",
        EmailPurpose.Offer,
        [
            new("subject", BlockKind.Subject, "Thank you for your order, {first_name}", "Bedankt voor je bestelling, {first_name}"),
            new("heading", BlockKind.Heading, "Thank you, {first_name}!", "Bedankt, {first_name}!"),
            new("intro", BlockKind.Paragraph,
                "We hope you enjoy your order. As a thank-you, here is {discount} off your next order at {shop}.",
                "We hopen dat je geniet van je bestelling. Als bedankje krijg je {discount} korting op je volgende bestelling bij {shop}."),
            new("code", BlockKind.Highlight, "{code}", "{code}"),
            new("terms", BlockKind.Paragraph,
                "Valid until {expires} on orders from {minimum_order}. One use per customer.",
                "Geldig tot en met {expires} bij bestellingen vanaf {minimum_order}. Eén keer te gebruiken."),
            new("button", BlockKind.Button, "Shop again", "Opnieuw winkelen"),
        ],
        new Dictionary<string, string>
        {
            ["first_name"] = "Sam",
            ["shop"] = "Example Shop",
            ["discount"] = "10%",
            ["code"] = "THX-7KQ2M9XR4D",
            ["expires"] = "31 December 2026",
            ["minimum_order"] = "€ 25.00",
            [EmailTemplate.ActionUrl] = "https://shop.example.com/",
        });

    /// <summary>
    /// What the hold-out group of a campaign gets: the same thanks without a code. It is an offer-purpose
    /// email like the one with a code, so the same consent rules pick who receives either and the
    /// groups stay comparable.
    /// </summary>
    public static EmailTemplate ThankYouWithoutCode { get; } = new(
        "thank-you-no-code",
        "Thank you without a code (hold-out)",
        EmailPurpose.Offer,
        [
            new("subject", BlockKind.Subject, "Thank you for your order, {first_name}", "Bedankt voor je bestelling, {first_name}"),
            new("heading", BlockKind.Heading, "Thank you, {first_name}!", "Bedankt, {first_name}!"),
            new("intro", BlockKind.Paragraph,
                "We hope you enjoy your order. Thank you for shopping at {shop}; we look forward to seeing you again.",
                "We hopen dat je geniet van je bestelling. Bedankt dat je bij {shop} winkelde; graag tot de volgende keer."),
            new("button", BlockKind.Button, "Visit the shop", "Naar de winkel"),
        ],
        new Dictionary<string, string>
        {
            ["first_name"] = "Sam",
            ["shop"] = "Example Shop",
            [EmailTemplate.ActionUrl] = "https://shop.example.com/",
        });

    // The invitation and its reminder end alike: the same button, the same expiry line, the same sample customer.
    // Declared before the templates that use them, because static initialisers run in textual order.
    private static readonly TemplateBlock SurveyButton = new("button", BlockKind.Button, "Answer three questions", "Beantwoord drie vragen");

    private static readonly TemplateBlock SurveyLinkExpiry = new("expiry", BlockKind.Paragraph,
        "The link works until {expires}.",
        "De link werkt tot en met {expires}.");

    private static readonly Dictionary<string, string> SurveySampleValues = new()
    {
        ["first_name"] = "Sam",
        ["shop"] = "Example Shop",
        ["expires"] = "31 December 2026",
        [EmailTemplate.ActionUrl] = "https://feedback.example.com/s/sample",
    };

    public static EmailTemplate ExitSurvey { get; } = new(
        "exit-survey",
        "Exit survey invitation",
        EmailPurpose.Survey,
        [
            new("subject", BlockKind.Subject, "{first_name}, may we ask why you left?", "{first_name}, mogen we vragen waarom je wegging?"),
            new("heading", BlockKind.Heading, "We miss you, {first_name}", "We missen je, {first_name}"),
            new("intro", BlockKind.Paragraph,
                "We noticed you have not been back to {shop} for a while. Would you tell us why? Three short questions, one minute, and it really helps us.",
                "We merkten dat je al een tijdje niet bij {shop} bent geweest. Wil je ons vertellen waarom? Drie korte vragen, een minuutje, en het helpt ons echt."),
            SurveyButton,
            SurveyLinkExpiry,
        ],
        SurveySampleValues);

    public static EmailTemplate ExitSurveyReminder { get; } = new(
        "exit-survey-reminder",
        "Exit survey reminder",
        EmailPurpose.Survey,
        [
            new("subject", BlockKind.Subject, "A minute for {shop}, {first_name}?", "Een minuutje voor {shop}, {first_name}?"),
            new("heading", BlockKind.Heading, "Still a minute to spare?", "Heb je nog een minuutje?"),
            new("intro", BlockKind.Paragraph,
                "A few days ago we asked why you left {shop}. If you have a minute, your answer helps us improve. This is the only reminder we send.",
                "Een paar dagen geleden vroegen we waarom je bij {shop} wegging. Als je een minuutje hebt, helpt je antwoord ons beter te worden. Dit is de enige herinnering die we sturen."),
            SurveyButton,
            SurveyLinkExpiry,
        ],
        SurveySampleValues);

    public static IReadOnlyList<EmailTemplate> All { get; } = [StaffInvitation, PasswordReset, ThankYou, ThankYouWithoutCode, ExitSurvey, ExitSurveyReminder];

    public static EmailTemplate? Find(string? key) => All.FirstOrDefault(t => t.Key == key);
}
