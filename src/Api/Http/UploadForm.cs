using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Http;

/// <summary>
/// Reads a multipart upload (files in parts named <c>file</c>) within the upload size limit, for every dialect that
/// takes files. A refusal comes back as a status and message for the dialect to render in its own error shape:
/// 415 not multipart, 413 too large, 400 unreadable or without a file or with an unusable file name.
/// </summary>
public static class UploadForm
{
    /// <summary>Room for multipart framing beyond the file size limit.</summary>
    private const int MultipartOverheadBytes = 64 * 1024;

    public static Task<BodyResult<IFormCollection>> ReadAsync(HttpContext http, SessionFileOptions limits, Func<IFormCollection, IFormFile, string> nameOf) =>
        ReadAsync(http, limits.MaxUploadBytes, nameOf);

    /// <summary>The upload, its files at most <paramref name="maxUploadBytes"/> each.</summary>
    public static async Task<BodyResult<IFormCollection>> ReadAsync(HttpContext http, int maxUploadBytes, Func<IFormCollection, IFormFile, string> nameOf)
    {
        var maxRequest = (long)maxUploadBytes + MultipartOverheadBytes;
        if (!http.Request.HasFormContentType)
        {
            return BodyResult<IFormCollection>.Fail(StatusCodes.Status415UnsupportedMediaType, "send the file as multipart/form-data, in a part named 'file'");
        }

        if (http.Request.ContentLength > maxRequest)
        {
            return TooLarge(maxUploadBytes);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxRequest;
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxRequest }, http.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException || ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return TooLarge(maxUploadBytes);
        }
        catch (BadHttpRequestException ex)
        {
            return BodyResult<IFormCollection>.Fail(StatusCodes.Status400BadRequest, "the multipart body could not be read: " + ex.Message);
        }

        if (form.Files.Count == 0)
        {
            return BodyResult<IFormCollection>.Fail(StatusCodes.Status400BadRequest, "the form has no file: send the file in a part named 'file'");
        }

        foreach (var file in form.Files)
        {
            if (file.Length > maxUploadBytes)
            {
                return TooLarge(maxUploadBytes);
            }

            if (SessionFileOptions.NameProblem(nameOf(form, file)) is { } problem)
            {
                return BodyResult<IFormCollection>.Fail(StatusCodes.Status400BadRequest, problem);
            }
        }

        return new BodyResult<IFormCollection>(form, StatusCodes.Status200OK, null);
    }

    /// <summary>An uploaded part as a file to store, under <paramref name="name"/>.</summary>
    public static async Task<SessionFile> ToFileAsync(IFormFile file, string name, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream((int)file.Length);
        await file.CopyToAsync(content, cancellationToken);
        var contentType = string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType;
        return new SessionFile(name, contentType, content.ToArray());
    }

    private static BodyResult<IFormCollection> TooLarge(int maxUploadBytes) =>
        BodyResult<IFormCollection>.Fail(StatusCodes.Status413PayloadTooLarge, $"a file may be at most {maxUploadBytes} bytes");
}
