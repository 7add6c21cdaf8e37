using System.Collections.Specialized;
using System.Runtime.Serialization;
using System.Text;
using FeedbackHub.Web.Features.Scheduling;
using Quartz;
using Quartz.Impl.Calendar;

namespace FeedbackHub.Web.Tests;

public sealed class JsonJobDataSerializerTests
{
    private readonly JsonJobDataSerializer _serializer = new();

    [Fact]
    public void Serialize_StringProperties_RoundTripAsAJsonObject()
    {
        var properties = new NameValueCollection
        {
            ["requested-by"] = "anna@example.nl",
            ["note"] = "ünïcode, \"quotes\" and\nnew lines",
            ["empty"] = "",
            ["missing"] = null,
        };

        var bytes = _serializer.Serialize<object>(properties);
        var back = _serializer.DeSerialize<NameValueCollection>(bytes);

        Assert.StartsWith("{\"requested-by\":\"anna@example.nl\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(properties.AllKeys, back.AllKeys);
        Assert.All(properties.AllKeys, key => Assert.Equal(properties[key], back[key]));
    }

    [Fact]
    public void Serialize_NoProperties_RoundTripsEmpty()
    {
        var back = _serializer.DeSerialize<NameValueCollection>(_serializer.Serialize(new NameValueCollection()));

        Assert.Empty(back);
    }

    [Fact]
    public void Serialize_OtherTypes_AreRefusedWithAReason()
    {
        var calendar = Assert.Throws<NotSupportedException>(() => _serializer.Serialize<ICalendar>(new WeeklyCalendar()));
        var map = Assert.Throws<NotSupportedException>(() => _serializer.Serialize(new JobDataMap { ["a"] = "b" }));

        Assert.Contains("useProperties", calendar.Message, StringComparison.Ordinal);
        Assert.Contains("Quartz.Impl.Calendar.WeeklyCalendar", calendar.Message, StringComparison.Ordinal);
        Assert.Contains("Quartz.JobDataMap", map.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeSerialize_AsAnotherType_IsRefused()
    {
        var bytes = _serializer.Serialize(new NameValueCollection { ["a"] = "b" });

        Assert.Throws<NotSupportedException>(() => _serializer.DeSerialize<ICalendar>(bytes));
        Assert.Throws<NotSupportedException>(() => _serializer.DeSerialize<Dictionary<string, string>>(bytes));
    }

    [Fact]
    public void Serialize_KeyWithSeveralValues_IsRefused()
    {
        var properties = new NameValueCollection();
        properties.Add("a", "1");
        properties.Add("a", "2");

        var error = Assert.Throws<NotSupportedException>(() => _serializer.Serialize(properties));

        Assert.Contains("'a' has 2 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeSerialize_DataNotWrittenByUs_SaysWhatToDo()
    {
        // What Quartz's binary serializer or another tool might have left in the store.
        var error = Assert.Throws<SerializationException>(() => _serializer.DeSerialize<NameValueCollection>([0x00, 0x01, 0xFF]));

        Assert.Contains("not a JSON object of strings", error.Message, StringComparison.Ordinal);
    }
}
