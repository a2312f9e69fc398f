using Azure.Core;

namespace ServerlessFlow.AzureStorage.Tests;

public sealed class AzureStorageOptionsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("SF")]
    [InlineData("1sf")]
    [InlineData("s-f")]
    [InlineData("s_f")]
    [InlineData("abcdefghijklmnopqrstuvwxyz1")]
    public void Validate_InvalidPrefix_ThrowsNamingTheRule(string prefix)
    {
        var options = new AzureStorageOptions { ConnectionString = "UseDevelopmentStorage=true", Prefix = prefix };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("lowercase letters and digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoAccount_ThrowsNamingBothWays()
    {
        var error = Assert.Throws<ArgumentException>(new AzureStorageOptions().Validate);

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("TokenCredential", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConnectionStringAndUris_Throws() =>
        Assert.Throws<ArgumentException>(new AzureStorageOptions { ConnectionString = "UseDevelopmentStorage=true", TableServiceUri = new Uri("https://a.table.core.windows.net/") }.Validate);

    [Fact]
    public void Validate_UrisWithoutCredential_Throws() =>
        Assert.Throws<ArgumentException>(new AzureStorageOptions
        {
            TableServiceUri = new Uri("https://a.table.core.windows.net/"),
            QueueServiceUri = new Uri("https://a.queue.core.windows.net/"),
        }.Validate);

    [Fact]
    public void Create_IdentityOptions_MakesNoRequestAndNamesResources()
    {
        var backend = AzureStorageBackend.Create(new AzureStorageOptions
        {
            TableServiceUri = new Uri("https://a.table.core.windows.net/"),
            QueueServiceUri = new Uri("https://a.queue.core.windows.net/"),
            TokenCredential = new NoCredential(),
            Prefix = "prod1",
        });

        Assert.Equal("prod1-wf-default", backend.PhysicalQueueName("wf-default"));
    }

    [Theory]
    [InlineData("sf", "wf-default", "sf-wf-default")]
    [InlineData("sf", "act-default", "sf-act-default")]
    [InlineData("t0", "act-payments-eu", "t0-act-payments-eu")]
    public void PhysicalQueueName_LogicalName_IsPrefixDashName(string prefix, string logical, string expected) =>
        Assert.Equal(expected, AzureStorageBackend.PhysicalQueueName(prefix, logical));

    [Theory]
    [InlineData("wf-Default")]
    [InlineData("wf--x")]
    [InlineData("act-")]
    public void PhysicalQueueName_InvalidName_Throws(string logical) =>
        Assert.Throws<ArgumentException>(() => AzureStorageBackend.PhysicalQueueName("sf", logical));

    [Fact]
    public void TableNames_DefaultPrefix_AreSfWorkflowsAndSfDeadletters()
    {
        Assert.Equal("sfworkflows", AzureStorageBackend.WorkflowTableName(AzureStorageOptions.DefaultPrefix));
        Assert.Equal("sfdeadletters", AzureStorageBackend.DeadLetterTableName(AzureStorageOptions.DefaultPrefix));
    }

    private sealed class NoCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No request may be made.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("No request may be made.");
    }
}
