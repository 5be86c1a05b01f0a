"""A minimal VT100/xterm screen for tests that drive a program on a pseudo-terminal: what the rows show after
the program's output, as a terminal would draw it. Enough for a line editor: printable characters (wide East
Asian ones in two cells, combining marks in none) with xterm's deferred autowrap, CR, LF, BS, scrolling, and
the CSI sequences CUU/CUD/CUF/CUB, CHA, CUP, ED and EL; colours and other sequences are ignored.
The standard library only.
"""
import codecs
import re
import unicodedata

_CSI_FINAL = re.compile(r"[\x40-\x7e]")


def char_cells(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class Screen:
    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self.wrap_pending = False  # the last column was written: the next character goes to the next row
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.escape = None  # the escape sequence being read, or None

    def resize(self, cols, rows):
        """Like xterm: rows are cut or padded, not reflowed; the cursor stays inside."""
        grid = [(row + [" "] * cols)[:cols] for row in self.grid[:rows]]
        self.grid = grid + [[" "] * cols for _ in range(rows - len(grid))]
        self.cols, self.rows = cols, rows
        self.x, self.y = min(self.x, cols - 1), min(self.y, rows - 1)
        self.wrap_pending = False

    def feed(self, data):
        for ch in self.decoder.decode(data):
            if self.escape is not None:
                self._escape(ch)
            elif ch == "\x1b":
                self.escape = ""
            elif ch == "\r":
                self.x, self.wrap_pending = 0, False
            elif ch == "\n":
                self._line_feed()
            elif ch == "\b":
                self.x, self.wrap_pending = max(0, self.x - 1), False
            elif ch >= " " and ch != "\x7f":
                self._put(ch)

    def display(self):
        """The rows as text, trailing blanks removed."""
        return ["".join(row).rstrip() for row in self.grid]

    def cursor(self):
        return self.x, self.y

    # ---- internals

    def _line_feed(self):
        self.wrap_pending = False
        if self.y == self.rows - 1:
            self.grid = self.grid[1:] + [[" "] * self.cols]
        else:
            self.y += 1

    def _put(self, ch):
        cells = char_cells(ch)
        if cells == 0:
            return
        if self.wrap_pending or self.x + cells > self.cols:
            self.x = 0
            self._line_feed()
        self.grid[self.y][self.x] = ch
        if cells == 2:
            self.grid[self.y][self.x + 1] = ""
        self.x += cells
        if self.x >= self.cols:
            self.x, self.wrap_pending = self.cols - 1, True

    def _escape(self, ch):
        self.escape += ch
        seq = self.escape
        if seq == "[":
            return
        if not seq.startswith("["):  # ESC and one character: nothing drawn
            self.escape = None
            return
        if not _CSI_FINAL.fullmatch(ch):
            return
        self.escape = None
        params = seq[1:-1]
        if params.startswith("?"):
            return
        args = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        n = max(1, args[0]) if args else 1
        self.wrap_pending = False
        if ch == "A":
            self.y = max(0, self.y - n)
        elif ch == "B":
            self.y = min(self.rows - 1, self.y + n)
        elif ch == "C":
            self.x = min(self.cols - 1, self.x + n)
        elif ch == "D":
            self.x = max(0, self.x - n)
        elif ch == "G":
            self.x = min(self.cols - 1, n - 1)
        elif ch in "Hf":
            row = max(1, args[0]) if args else 1
            col = max(1, args[1]) if len(args) > 1 else 1
            self.y, self.x = min(self.rows, row) - 1, min(self.cols, col) - 1
        elif ch == "K":
            mode = args[0] if args else 0
            start, end = {0: (self.x, self.cols), 1: (0, self.x + 1), 2: (0, self.cols)}.get(mode, (0, 0))
            for i in range(start, end):
                self.grid[self.y][i] = " "
        elif ch == "J":
            mode = args[0] if args else 0
            rows = {0: range(self.y + 1, self.rows), 1: range(0, self.y), 2: range(self.rows)}.get(mode, [])
            for r in rows:
                self.grid[r] = [" "] * self.cols
            if mode == 0:
                self.grid[self.y][self.x:] = [" "] * (self.cols - self.x)
