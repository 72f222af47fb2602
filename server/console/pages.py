"""The console's pages that do not depend on the case service: sign-in, sign-out, the
language switch, and the answers to a missing session or a refused form."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from . import auth, i18n
from .auth import ConsoleUser, CsrfRefused, NotSignedIn, SignInRefused
from .render import lang_of, render

router = APIRouter(prefix="/console", include_in_schema=False)


def safe_next(value: str | None) -> str:
    """Only console addresses of this server (no open redirect)."""
    if value and value.startswith("/console/") and not value.startswith("//") and "\\" not in value \
            and "\n" not in value and "\r" not in value:
        return value
    return "/console/inbox"


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def acting_user(request: Request, form: dict[str, str] = Depends(auth.form_data),
                user: ConsoleUser = Depends(auth.current_user)) -> ConsoleUser:
    """The signed-in user of a state-changing request whose CSRF token is right."""
    auth.check_csrf(request, form, user)
    return user


def refusal(request: Request, status: int, title: str, message: str, user: ConsoleUser | None = None,
            back: str | None = None) -> Response:
    """A clear page (or, for htmx, a message in the page's message area)."""
    tr = i18n.translator(lang_of(request))
    if is_htmx(request):
        return render(request, "flash.html", status=status, message=tr(message),
                      headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    return render(request, "error.html", user=user, status=status, title=tr(title), message=tr(message), back=back)


def install_handlers(app) -> None:  # noqa: ANN001 - FastAPI
    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        target = "/console"
        if request.method == "GET" and not is_htmx(request) and request.url.path != "/console":
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            from urllib.parse import quote
            target = f"/console?next={quote(safe_next(path), safe='')}"
        if exc.expired:
            target += ("&" if "?" in target else "?") + "ended=1"
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target, "cache-control": "no-store"})
        return RedirectResponse(target, status_code=303, headers={"cache-control": "no-store"})

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _exc: CsrfRefused) -> Response:
        return refusal(request, 403, "Request refused",
                       "The form has expired or did not come from this console. Reload the page and try again.")


def _sign_in_page(request: Request, *, message: str = "", notice: str = "", username: str = "",
                  next_url: str = "/console/inbox", status: int = 200) -> Response:
    pre = request.cookies.get(auth.PRE_COOKIE) or auth.new_pre_token()
    tr = i18n.translator(lang_of(request))
    response = render(request, "sign_in.html", status=status, title=tr("Sign in"), message=message, notice=notice,
                      username=username, next=next_url, pre_token=pre)
    auth.set_cookie(response, request, auth.PRE_COOKIE, pre)
    return response


@router.get("")
@router.get("/")
def sign_in_page(request: Request, next: str | None = None, ended: str | None = None,  # noqa: A002
                 out: str | None = None) -> Response:
    try:
        auth.current_user(request)
        return RedirectResponse(safe_next(next), status_code=303)
    except NotSignedIn as exc:
        ended = ended or ("1" if exc.expired else None)
    tr = i18n.translator(lang_of(request))
    notice = tr("Your session has ended. Sign in again.") if ended else tr("You have signed out.") if out else ""
    return _sign_in_page(request, notice=notice, next_url=safe_next(next))


@router.post("/sign-in")
def sign_in(request: Request, form: dict[str, str] = Depends(auth.form_data)) -> Response:
    auth.check_pre_csrf(request, form)
    tr = i18n.translator(lang_of(request))
    username = form.get("username", "")[:200]
    next_url = safe_next(form.get("next"))
    try:
        token, _user = auth.sign_in(request, username, form.get("password", "")[:1000])
    except SignInRefused as exc:
        if exc.reason == "limited":
            msg, status = tr("Too many sign-in attempts. Try again in {seconds} seconds.",
                             seconds=exc.retry_after), 429
        elif exc.reason == "busy":
            msg, status = tr("The server is busy. Try again in a moment."), 503
        else:
            msg, status = tr("Wrong username or password."), 401
        response = _sign_in_page(request, message=msg, username=username, next_url=next_url, status=status)
        if exc.retry_after:
            response.headers["retry-after"] = str(exc.retry_after)
        return response
    response = RedirectResponse(next_url, status_code=303)
    auth.set_cookie(response, request, auth.COOKIE, token)
    auth.clear_cookie(response, request, auth.PRE_COOKIE)
    return response


@router.post("/sign-out")
def sign_out(request: Request, _user: ConsoleUser = Depends(acting_user)) -> Response:
    auth.sign_out(request)
    response = RedirectResponse("/console?out=1", status_code=303)
    auth.clear_cookie(response, request, auth.COOKIE)
    return response


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str, next: str | None = None) -> Response:  # noqa: A002
    """Only a preference cookie changes (a GET, so the switch is a plain link)."""
    response = RedirectResponse(safe_next(next) if next != "/console" else "/console", status_code=303)
    if lang in i18n.LANGS:
        auth.set_cookie(response, request, auth.LANG_COOKIE, lang, max_age=365 * 86400)
    return response
