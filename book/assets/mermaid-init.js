// This Source Code Form is subject to the terms of the Mozilla Public
// License, v. 2.0. If a copy of the MPL was not distributed with this
// file, You can obtain one at https://mozilla.org/MPL/2.0/.

(() => {
    const darkThemes = ['ayu', 'navy', 'coal'];
    const lightThemes = ['light', 'rust'];

    const classList = document.getElementsByTagName('html')[0].classList;

    let lastThemeWasLight = true;
    for (const cssClass of classList) {
        if (darkThemes.includes(cssClass)) {
            lastThemeWasLight = false;
            break;
        }
    }

    const theme = lastThemeWasLight ? 'default' : 'dark';
    mermaid.initialize({ startOnLoad: true, theme });

    // Simplest way to make mermaid re-render the diagrams in the new theme is via refreshing the page

    for (const darkTheme of darkThemes) {
        document.getElementById('mdbook-theme-' + darkTheme).addEventListener('click', () => {
            if (lastThemeWasLight) {
                window.location.reload();
            }
        });
    }

    for (const lightTheme of lightThemes) {
        document.getElementById('mdbook-theme-' + lightTheme).addEventListener('click', () => {
            if (!lastThemeWasLight) {
                window.location.reload();
            }
        });
    }
})();

// On a phone, a diagram shrunk to the screen's width has unreadable text:
// keep it at no less than 70% of its drawn size (text stays about 11 px) and
// let it scroll sideways, as the charts do (book/assets/reader.css gives
// pre.mermaid the scroll and the cue).
(() => {
    const keepSize = (pre) => {
        if (!window.matchMedia('(max-width: 600px)').matches) return;
        const svg = pre.querySelector('svg');
        if (!svg) return;
        const drawn = parseFloat(svg.style.maxWidth) || 0;
        if (drawn > 0) svg.style.minWidth = Math.round(drawn * 0.7) + 'px';
    };
    for (const pre of document.querySelectorAll('pre.mermaid')) {
        new MutationObserver(() => keepSize(pre)).observe(pre, { childList: true });
        keepSize(pre);
    }
})();
