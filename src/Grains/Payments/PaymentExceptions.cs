namespace Courier.Grains.Payments;

/// <summary>A payment provider call failed. <see cref="IsRetryable"/> says whether trying again later can help.</summary>
public abstract class PaymentGatewayException : Exception
{
    protected PaymentGatewayException() { }
    protected PaymentGatewayException(string message) : base(message) { }
    protected PaymentGatewayException(string message, Exception? innerException) : base(message, innerException) { }

    public abstract bool IsRetryable { get; }
}

/// <summary>The customer's payment was refused (card declined, insufficient funds…). Retrying the same call cannot help.</summary>
public sealed class PaymentDeclinedException : PaymentGatewayException
{
    public PaymentDeclinedException() { }
    public PaymentDeclinedException(string message) : base(message) { }
    public PaymentDeclinedException(string message, Exception innerException) : base(message, innerException) { }

    public PaymentDeclinedException(string message, string? providerMessage, string? code, string? declineCode)
        : base(message)
    {
        ProviderMessage = providerMessage;
        Code = code;
        DeclineCode = declineCode;
    }

    /// <summary>The provider's own explanation, safe to show the customer.</summary>
    public string? ProviderMessage { get; }

    /// <summary>The provider's error code, e.g. "card_declined", "expired_card".</summary>
    public string? Code { get; }

    /// <summary>The bank's reason, e.g. "insufficient_funds", when the provider passes it on.</summary>
    public string? DeclineCode { get; }

    public override bool IsRetryable => false;
}

/// <summary>The provider answered with an error: a bad request, bad credentials, or trouble on its side.</summary>
public sealed class PaymentProviderException : PaymentGatewayException
{
    public PaymentProviderException() { }
    public PaymentProviderException(string message) : base(message) { }
    public PaymentProviderException(string message, Exception innerException) : base(message, innerException) { }

    public PaymentProviderException(
        string message, bool isRetryable, string? providerMessage = null, string? errorType = null,
        string? code = null, int? statusCode = null, string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsRetryable = isRetryable;
        ProviderMessage = providerMessage;
        ErrorType = errorType;
        Code = code;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    public override bool IsRetryable { get; }

    public string? ProviderMessage { get; }

    /// <summary>The provider's error category, e.g. Stripe's "invalid_request_error" or "api_error".</summary>
    public string? ErrorType { get; }

    /// <summary>The provider's error code, e.g. "resource_missing".</summary>
    public string? Code { get; }

    public int? StatusCode { get; }

    /// <summary>The provider's id for the failed request; quote it to the provider's support.</summary>
    public string? RequestId { get; }
}

/// <summary>The provider could not be reached or did not answer in time. Always worth retrying with the same idempotency key.</summary>
public sealed class PaymentNetworkException : PaymentGatewayException
{
    public PaymentNetworkException() { }
    public PaymentNetworkException(string message) : base(message) { }
    public PaymentNetworkException(string message, Exception innerException) : base(message, innerException) { }

    public override bool IsRetryable => true;
}
