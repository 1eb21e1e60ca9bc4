using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>Chrome extensions the tests build, and their upload as the SDKs send it.</summary>
public static class TestExtensions
{
    /// <summary>A minimal Manifest V3 extension whose content script sets <c>document.documentElement.dataset[key] = "on"</c> on every page.</summary>
    public static byte[] Marking(string key = "ext", string folder = "", int manifestVersion = 3) => Zip(new Dictionary<string, string>
    {
        [folder + "manifest.json"] = $$"""
            {"manifest_version": {{manifestVersion}}, "name": "SessionGrid test {{key}}", "version": "1.0",
             "content_scripts": [{"matches": ["<all_urls>"], "js": ["content.js"], "run_at": "document_start"}]}
            """,
        [folder + "content.js"] = $"document.documentElement.dataset.{key} = 'on';",
    });

    /// <summary>A zip of the given files (name → text).</summary>
    public static byte[] Zip(IReadOnlyDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A zip packed as a CRX3 file: the magic, the version, a (meaningless) header of the stated length, then the zip.</summary>
    public static byte[] Crx3(byte[] zip)
    {
        var header = new byte[40];
        Random.Shared.NextBytes(header);
        return [.. "Cr24"u8, .. BitConverter.GetBytes(3u), .. BitConverter.GetBytes((uint)header.Length), .. header, .. zip];
    }

    /// <summary><c>POST /api/v1/extension</c> as both SDKs send it: one multipart part named <c>file</c>, with the file's name.</summary>
    public static Task<TaskApiClient.Response> UploadExtensionAsync(this TaskApiClient client, string fileName, byte[] content)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return client.SendContentAsync(HttpMethod.Post, "/api/v1/extension", form);
    }

    /// <summary>Uploads an extension and returns its id.</summary>
    public static async Task<string> UploadedExtensionAsync(this TaskApiClient client, byte[] content, string fileName = "extension.zip")
    {
        var response = await client.UploadExtensionAsync(fileName, content);
        Assert.True(response.Status == HttpStatusCode.OK, $"{response.Status}: {response.Body?.ToJsonString()}");
        return response.R["id"]!.GetValue<string>();
    }
}
