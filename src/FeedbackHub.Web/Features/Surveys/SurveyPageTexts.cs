using FeedbackHub.Data.Customers;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>The fixed words of the public survey pages (the questions themselves are the admins'), one set per language.</summary>
public sealed record SurveyPageTexts(
    string Optional,
    string CommentHint,
    string ScaleHint,
    string ErrorSummary,
    string ReasonRequired,
    string CommentTooLong,
    string ComebackInvalid,
    string AlreadyTitle,
    string AlreadyText,
    string NotValidTitle,
    string NotValidText,
    string NoSessionText,
    string FormExpired,
    string TooManyTitle,
    string TooManyText,
    string YourCode,
    string CodeTerms)
{
    public static SurveyPageTexts English { get; } = new(
        Optional: "(optional)",
        CommentHint: "Up to {0} characters.",
        ScaleHint: "0 means {0}, 10 means {1}.",
        ErrorSummary: "Please check your answers:",
        ReasonRequired: "Choose the main reason.",
        CommentTooLong: "Your answer is {0} characters long; the limit is {1}. Please shorten it.",
        ComebackInvalid: "Choose a number from 0 to 10, or leave it open.",
        AlreadyTitle: "We already have your answers",
        AlreadyText: "This survey was answered before, and we kept that first answer. Thank you!",
        NotValidTitle: "This survey link does not work",
        NotValidText: "The link has expired or is incomplete. Survey links work for a limited time after we send them.",
        NoSessionText: "Your session has ended. Please open the link in our email again.",
        FormExpired: "The form was open for too long. Please open the link in our email again.",
        TooManyTitle: "Too many attempts",
        TooManyText: "Please wait a minute and try again.",
        YourCode: "Your code",
        CodeTerms: "{0} off, valid until {1}.");

    public static SurveyPageTexts Dutch { get; } = new(
        Optional: "(optioneel)",
        CommentHint: "Maximaal {0} tekens.",
        ScaleHint: "0 betekent {0}, 10 betekent {1}.",
        ErrorSummary: "Controleer je antwoorden:",
        ReasonRequired: "Kies de belangrijkste reden.",
        CommentTooLong: "Je antwoord is {0} tekens lang; het maximum is {1}. Maak het wat korter.",
        ComebackInvalid: "Kies een getal van 0 tot en met 10, of laat het open.",
        AlreadyTitle: "We hebben je antwoorden al",
        AlreadyText: "Deze vragenlijst was al ingevuld, en dat eerste antwoord hebben we bewaard. Bedankt!",
        NotValidTitle: "Deze link werkt niet",
        NotValidText: "De link is verlopen of onvolledig. Links naar de vragenlijst werken een beperkte tijd nadat we ze sturen.",
        NoSessionText: "Je sessie is verlopen. Open de link in onze e-mail opnieuw.",
        FormExpired: "Het formulier stond te lang open. Open de link in onze e-mail opnieuw.",
        TooManyTitle: "Te veel pogingen",
        TooManyText: "Wacht een minuutje en probeer het dan opnieuw.",
        YourCode: "Jouw code",
        CodeTerms: "{0} korting, geldig tot en met {1}.");

    public static SurveyPageTexts For(string locale) => locale == CustomerLocales.Dutch ? Dutch : English;
}
