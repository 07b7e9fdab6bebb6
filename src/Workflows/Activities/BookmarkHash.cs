using System.Security.Cryptography;
using System.Text;

namespace Integration.Workflows.Activities;

/// <summary>What a waiting run is found by: a short hash of its bookmark's name (e.g. <c>Event:payment.received</c>).</summary>
public static class BookmarkHash
{
    public static string Of(string bookmarkName) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bookmarkName)))[..32];

    public static string EventBookmark(string eventName) => "Event:" + eventName;
}
