using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AsyncFacade.Server.Security;

/// <summary>Hooks the audit log (<see cref="SecurityAudit"/>) into bearer-token validation.</summary>
internal static class SecurityAuditExtensions
{
    /// <summary>
    /// Token accepted and refused come from JwtBearer's events, which run once per request: the handler caches its
    /// result, so the second AuthenticateAsync in <see cref="FhirAccess"/> logs nothing again. A post-configure, so it
    /// sees whatever events other set-up assigned, and chains them: theirs run first and may still fail the token.
    /// (A scheme that sets JwtBearerOptions.EventsType instead gets its events from DI and bypasses this.)
    /// </summary>
    public static IServiceCollection AddSecurityAudit(this IServiceCollection services) =>
        services.PostConfigureAll<JwtBearerOptions>(jwt =>
        {
            var events = jwt.Events ??= new JwtBearerEvents();
            var validated = events.OnTokenValidated;
            events.OnTokenValidated = async context =>
            {
                await validated(context);
                if (context.Result is { Failure: { } failure })
                {
                    SecurityAudit.TokenRefused(context.HttpContext, failure);
                }
                else if (context.Result is null or { Succeeded: true } && context.Principal is { } principal)
                {
                    SecurityAudit.TokenAccepted(context.HttpContext, principal, context.SecurityToken);
                }
            };
            var failed = events.OnAuthenticationFailed;
            events.OnAuthenticationFailed = async context =>
            {
                await failed(context);
                SecurityAudit.TokenRefused(context.HttpContext, context.Exception);
            };
        });
}
