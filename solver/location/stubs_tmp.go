package location

func (r *run) setCover(m *model) *Result    { return &Result{} }
func (r *run) capacitated(m *model) *Result { return &Result{} }
