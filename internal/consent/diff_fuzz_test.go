package consent

import (
	"slices"
	"testing"
)

// FuzzDiff: an administrator's text is outside data to the diff. For any
// two texts, the unchanged and removed paragraphs rebuild the old text's
// paragraphs, and the unchanged and added ones rebuild the new text's.
func FuzzDiff(f *testing.F) {
	f.Add("1.1. Бірінші.\n\n1.2. Екінші.", "1.1. Бірінші.\n\n1.2. Өзгерген.\n\n1.3. Жаңа.")
	f.Add("", "a")
	f.Add("a\r\n\r\nb", "b\n\n\n\na")
	f.Fuzz(func(t *testing.T, old, new string) {
		var gotOld, gotNew []string
		for _, l := range Diff(old, new) {
			switch l.Op {
			case '=':
				gotOld, gotNew = append(gotOld, l.Text), append(gotNew, l.Text)
			case '-':
				gotOld = append(gotOld, l.Text)
			case '+':
				gotNew = append(gotNew, l.Text)
			default:
				t.Fatalf("unknown op %q", l.Op)
			}
		}
		if !slices.Equal(gotOld, paragraphs(old)) || !slices.Equal(gotNew, paragraphs(new)) {
			t.Fatalf("diff does not rebuild the texts")
		}
	})
}
