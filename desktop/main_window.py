"""The main window: declaration-software menus, the declaration list, a status bar.

Menus (keys used by ``AppContext.menus`` and ``HostApi.add_menu_action``):
``system`` Hệ thống · ``export`` Tờ khai xuất khẩu · ``import`` Tờ khai nhập khẩu ·
``other`` Nghiệp vụ khác (plugins add their functions here) · ``help`` Trợ giúp.
"""
from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QIcon, QKeySequence, QScreen
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStatusBar, QVBoxLayout, QWidget

from . import __version__, clock

if TYPE_CHECKING:  # pragma: no cover
    from .declarations.columns import ColumnSpec
    from desktop.core.query import DeclarationFilter

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1280, 800)
LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))


translate = QCoreApplication.translate


class ListView(Protocol):
    """What the host and plugins use of the central list (``DeclarationListView``, or
    ``PlaceholderList`` when the list cannot be loaded)."""

    def set_filter(self, flt: "DeclarationFilter") -> None: ...
    def filter(self) -> "DeclarationFilter | None": ...
    def add_column(self, spec: "ColumnSpec") -> None: ...
    def remove_column(self, key: str) -> bool: ...
    def refresh(self) -> None: ...
    def refresh_rows(self, numbers: list[str]) -> None: ...
    def current_number(self) -> str | None: ...
    def set_language(self, lang: str) -> None: ...
    def run_pending_query(self) -> None: ...
    def close_store(self) -> None: ...
    def save_state(self) -> dict[str, Any]: ...
    def restore_state(self, state: dict[str, Any]) -> None: ...


class PlaceholderList(QWidget):
    """Stands in for the declaration list when the list package cannot be loaded.

    It offers the same interface as ``DeclarationListView`` so that the rest of the host
    (and plugins) keep working; it shows why the list is missing.
    """

    current_changed = Signal(str)
    activated = Signal(str)
    context_menu_requested = Signal(str, QPoint)
    query_finished = Signal(int, float)

    def __init__(self, reason: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._filter: Any = None
        self._columns: list[Any] = []
        self.table = None
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setObjectName("listUnavailable")
        self.reason = reason
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self._retranslate()
        QTimer.singleShot(0, lambda: self.query_finished.emit(0, 0.0))

    def _retranslate(self) -> None:
        text = translate("MainWindow", "The declaration list is not available.")
        if self.reason:
            text += "\n" + self.reason
        self.label.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def set_filter(self, flt: Any) -> None:
        self._filter = flt
        QTimer.singleShot(0, lambda: self.query_finished.emit(0, 0.0))

    def filter(self) -> Any:
        return self._filter

    def add_column(self, spec: Any) -> None:
        self._columns.append(spec)

    def remove_column(self, key: str) -> bool:
        before = len(self._columns)
        self._columns = [c for c in self._columns if c.key != key]
        return len(self._columns) < before

    def set_language(self, lang: str) -> None:
        pass  # the label follows the LanguageChange event

    def run_pending_query(self) -> None:
        pass

    def close_store(self) -> None:
        pass

    def refresh(self) -> None:
        QTimer.singleShot(0, lambda: self.query_finished.emit(0, 0.0))

    def refresh_rows(self, numbers: list[str]) -> None:
        pass

    def current_number(self) -> str | None:
        return None

    def save_state(self) -> dict[str, Any]:
        return {}

    def restore_state(self, state: dict[str, Any]) -> None:
        pass


class MainWindow(QMainWindow):
    """Menus, the list as central widget, the status bar. Knows nothing about plugins."""

    closing = Signal()
    language_requested = Signal(str)

    def __init__(self, store_path: Path | None, *, lang: str = "vi", demo: bool = False,
                 list_error: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.lang = lang
        self.demo = demo
        self.store_path = store_path
        self.resize(*DEFAULT_SIZE)
        self._screen_hooked = False
        self._watched_screen: QScreen | None = None
        icon = Path(__file__).resolve().parent.parent / "resources" / "icons" / "app.svg"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.list_view = self._make_list(store_path, list_error)
        self.setCentralWidget(self.list_view)
        self.status_bar = QStatusBar(self)
        self.status_bar.setObjectName("statusBar")
        self.setStatusBar(self.status_bar)
        self.menus: dict[str, QMenu] = {}
        self.actions: dict[str, QAction] = {}
        self._build_menus()
        self.retranslate()

    def today(self) -> date:
        """Today, or the demo world's "now" on demo data (``domain.demo.DEMO_END``)."""
        return clock.today(self.demo)

    # ---- the list ------------------------------------------------------------------------
    def _make_list(self, store_path: Path | None, list_error: str) -> QWidget:
        if store_path is None or list_error:
            return PlaceholderList(list_error, self)
        try:
            from .declarations.view import DeclarationListView
        except ImportError as exc:
            log.warning("declaration list unavailable: %s", exc)
            return PlaceholderList(str(exc), self)
        try:
            view = DeclarationListView(store_path, self, lang=self.lang, today=self.today)
        except Exception as exc:  # noqa: BLE001 - a broken store must not stop the program
            log.exception("cannot open the declaration list")
            return PlaceholderList(f"{type(exc).__name__}: {exc}", self)
        view.setObjectName("declarationList")
        return view

    def show_list(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        table = getattr(self.list_view, "table", None)
        (table or self.list_view).setFocus()

    # ---- menus -----------------------------------------------------------------------------
    def _action(self, key: str, menu: QMenu, *, shortcut: QKeySequence | str | None = None,
                enabled: bool = True) -> QAction:
        action = QAction(self)
        action.setObjectName(f"action_{key}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setEnabled(enabled)
        menu.addAction(action)
        self.actions[key] = action
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for key in ("system", "export", "import", "other", "help"):
            menu = QMenu(self)
            menu.setObjectName(f"menu_{key}")
            menu.setToolTipsVisible(True)
            bar.addMenu(menu)
            self.menus[key] = menu
        m = self.menus["system"]
        # Sign-in / sign-out are provided by the sync service; they stay disabled until a
        # service connects and enables them (AppContext.actions["sign_in"/"sign_out"]).
        self._action("sign_in", m, enabled=False)
        self._action("sign_out", m, enabled=False)
        m.addSeparator()
        self._action("settings", m, shortcut=QKeySequence.StandardKey.Preferences)
        self.language_menu = QMenu(self)
        self.language_menu.setObjectName("menu_language")
        m.addMenu(self.language_menu)
        group = QActionGroup(self)
        group.setExclusive(True)
        for code, native in LANGUAGES:
            a = QAction(native, self)
            a.setObjectName(f"action_language_{code}")
            a.setCheckable(True)
            a.setChecked(code == self.lang)
            a.triggered.connect(lambda _c=False, code=code: self.language_requested.emit(code))
            group.addAction(a)
            self.language_menu.addAction(a)
            self.actions[f"language_{code}"] = a
        m.addSeparator()
        self._action("exit", m, shortcut="Ctrl+Q").triggered.connect(self.close)

        for key, direction in (("export", "E"), ("import", "I")):
            a = self._action(f"{key}_list", self.menus[key],
                             shortcut="Ctrl+Shift+E" if key == "export" else "Ctrl+Shift+I")
            a.triggered.connect(lambda _c=False, d=direction: self.show_direction(d))
            a2 = self._action(f"{key}_all", self.menus[key])
            a2.triggered.connect(lambda _c=False: self.show_direction(None))

        other = self.menus["other"]
        self._empty_other = QAction(self)
        self._empty_other.setObjectName("action_other_empty")
        self._empty_other.setEnabled(False)
        other.addAction(self._empty_other)
        other.aboutToShow.connect(self._update_other_menu)
        self._update_other_menu()

        h = self.menus["help"]
        self._action("about", h)
        self._action("plugins", h)
        h.addSeparator()
        self._action("open_logs", h)

    def _update_other_menu(self) -> None:
        others = [a for a in self.menus["other"].actions() if a is not self._empty_other and not a.isSeparator()]
        self._empty_other.setVisible(not others)

    def show_direction(self, direction: str | None) -> None:
        try:
            from desktop.core.query import DeclarationFilter
        except ImportError:
            return
        title = {"E": translate("MainWindow", "Export declarations"), "I": translate("MainWindow", "Import declarations"), None: ""}[direction]
        self.list_view.set_filter(DeclarationFilter(direction=direction, title=title))
        self.show_list()

    def set_language_checked(self, lang: str) -> None:
        for code, _ in LANGUAGES:
            self.actions[f"language_{code}"].setChecked(code == lang)

    def retranslate(self) -> None:
        # ends with the application display name, so that Qt does not append it a second time
        title = f'{translate("MainWindow", "Declarant Desk")} {__version__}'
        if self.demo:
            title = translate("MainWindow", "demo data").capitalize() + " — " + title
        self.setWindowTitle(title)
        names = {"system": translate("MainWindow", "&System"), "export": translate("MainWindow", "&Export declarations"),
                 "import": translate("MainWindow", "&Import declarations"), "other": translate("MainWindow", "&Other operations"),
                 "help": translate("MainWindow", "&Help")}
        for key, text in names.items():
            self.menus[key].setTitle(text)
        self.language_menu.setTitle(translate("MainWindow", "&Language"))
        texts = {
            "sign_in": translate("MainWindow", "Sign &in…"), "sign_out": translate("MainWindow", "Sign &out"), "settings": translate("MainWindow", "&Settings…"),
            "exit": translate("MainWindow", "E&xit"),
            "export_list": translate("MainWindow", "Export declaration list"), "export_all": translate("MainWindow", "All declarations"),
            "import_list": translate("MainWindow", "Import declaration list"), "import_all": translate("MainWindow", "All declarations"),
            "about": translate("MainWindow", "&About Declarant Desk"), "plugins": translate("MainWindow", "&Plugins…"),
            "open_logs": translate("MainWindow", "Open &log folder"),
        }
        for key, text in texts.items():
            self.actions[key].setText(text)
        if not self.actions["sign_in"].isEnabled():
            self.actions["sign_in"].setToolTip(translate("MainWindow", "Signing in is not available in this program."))
        self._empty_other.setText(translate("MainWindow", "(No operations: no plugin added one)"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- state -------------------------------------------------------------------------------
    def restore(self, settings: Any) -> None:
        geometry = settings.bytes("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.fit_to_screen()
        state = settings.bytes("window/state")
        if state is not None:
            self.restoreState(state)
        # a geometry saved on a larger screen (or a docked laptop) must not hide the status bar
        self.clamp_to_screen()
        list_state = settings.get_json("list/state")
        if isinstance(list_state, dict) and hasattr(self.list_view, "restore_state"):
            try:
                self.list_view.restore_state(list_state)
            except Exception:  # noqa: BLE001 - an old or damaged state must not stop the start
                log.warning("ignoring an unusable saved list state", exc_info=True)

    def fit_to_screen(self) -> None:
        """First start: the default size, shrunk to fit the screen's free area (laptops with
        1366×768 screens are common), centred."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        frame = 40  # title bar and borders the window manager adds
        width = min(DEFAULT_SIZE[0], free.width() - 16)
        height = min(DEFAULT_SIZE[1], free.height() - frame)
        self.resize(max(width, 640), max(height, 480))
        self.move(free.x() + max((free.width() - self.width()) // 2, 0),
                  free.y() + max((free.height() - self.height() - frame) // 2, 0))

    def clamp_to_screen(self) -> None:
        """Keep the whole window (frame included) inside its screen's free area: at every
        start and whenever the screen or its free area changes (another monitor, a
        resolution change, a taskbar moved)."""
        if self.isMaximized() or self.isFullScreen():
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(frame.width() - self.width(), 0)
        extra_h = max(frame.height() - self.height(), 0) if self.isVisible() else 40  # title bar
        width = max(min(self.width(), free.width() - extra_w), min(640, free.width()))
        height = max(min(self.height(), free.height() - extra_h), min(480, free.height()))
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        x = min(max(frame.x(), free.x()), free.x() + max(free.width() - frame.width(), 0))
        y = min(max(frame.y(), free.y()), free.y() + max(free.height() - frame.height(), 0))
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def _watch_screen(self, screen: QScreen | None = None) -> None:
        if self._watched_screen is not None:
            try:
                self._watched_screen.availableGeometryChanged.disconnect(self._screen_area_changed)
            except (RuntimeError, TypeError):
                pass
        self._watched_screen = screen or self.screen()
        if self._watched_screen is not None:
            self._watched_screen.availableGeometryChanged.connect(self._screen_area_changed)

    def _screen_area_changed(self, *_args: Any) -> None:
        QTimer.singleShot(0, self.clamp_to_screen)

    def _screen_changed(self, screen: QScreen | None) -> None:
        self._watch_screen(screen)
        self._screen_area_changed()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not self._screen_hooked:
            self._screen_hooked = True
            handle.screenChanged.connect(self._screen_changed)
            self._watch_screen(handle.screen())
            self.clamp_to_screen()

    def save(self, settings: Any) -> None:
        settings.set_value("window/geometry", self.saveGeometry())
        settings.set_value("window/state", self.saveState())
        if hasattr(self.list_view, "save_state"):
            try:
                settings.set_json("list/state", self.list_view.save_state())
            except Exception:  # noqa: BLE001
                log.warning("cannot save the list state", exc_info=True)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
