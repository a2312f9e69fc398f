using Microsoft.Extensions.Configuration;
using ServerlessFlow.Codec;

namespace ServerlessFlow.Hosting.Configuration;

/// <summary>Reads the payload codec settings (<see cref="HostingSettingNames.PayloadCodecCurrentKeyId"/>, <see cref="HostingSettingNames.PayloadCodecKeys"/>).</summary>
internal static class PayloadCodecSettings
{
    /// <summary>The configured codec, or null when neither setting is present.</summary>
    /// <exception cref="InvalidOperationException">The settings are present and invalid; the message names the setting and the fix.</exception>
    public static AesGcmPayloadCodec? Read(IConfiguration configuration)
    {
        var currentKeyId = configuration[HostingSettingNames.PayloadCodecCurrentKeyId];
        var keySettings = configuration.GetSection(HostingSettingNames.PayloadCodecKeys).GetChildren().ToList();
        if (string.IsNullOrWhiteSpace(currentKeyId) && keySettings.Count == 0)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(currentKeyId))
        {
            throw new InvalidOperationException(
                $"Payload keys are configured under {HostingSettingNames.PayloadCodecKeys}, but {HostingSettingNames.PayloadCodecCurrentKeyId} is not set: name the key new payloads are encoded with.");
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var setting in keySettings)
        {
            keys[setting.Key] = Base64(setting);
        }

        try
        {
            return new AesGcmPayloadCodec(new AesGcmPayloadCodecOptions { CurrentKeyId = currentKeyId.Trim(), Keys = keys });
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Settings {HostingSettingNames.PayloadCodecCurrentKeyId} and {HostingSettingNames.PayloadCodecKeys}: {e.Message}", e);
        }
    }

    private static byte[] Base64(IConfigurationSection setting)
    {
        try
        {
            return Convert.FromBase64String(setting.Value?.Trim() ?? string.Empty);
        }
        catch (FormatException e)
        {
            // The value is a secret: the message names the setting, never its text.
            throw new InvalidOperationException(
                $"Setting {setting.Path} is not base64. Give base64 of 16, 24 or 32 random bytes (e.g. 'openssl rand -base64 32'); " +
                "a Key Vault reference that did not resolve also arrives as its own text.", e);
        }
    }
}
