using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace Courier.WebFront.Pages.Shared;

/// <summary>
/// The one inline script: applies the visitor's saved theme and marks the page as scripted before
/// first paint, so a dark-theme visitor never sees a light flash.
/// </summary>
internal static class ThemeBootstrap
{
    public static MarkupString Script { get; } = new(
        "(function(){var d=document.documentElement;d.classList.add('js');try{var t=localStorage.getItem('courier-theme');if(t==='light'||t==='dark')d.dataset.theme=t;}catch(e){}})();");

    /// <summary>The Content-Security-Policy source that lets exactly this script run, and no other inline one.</summary>
    public static string ScriptHashSource { get; } = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script.Value)))}'";
}
